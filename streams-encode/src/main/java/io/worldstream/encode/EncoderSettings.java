package io.worldstream.encode;

import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How an encoder instance runs. Instances with the same {@code applicationId} share the work: the
 * partitions of {@code wm.experience} spread across them.
 *
 * @param streamThreads Kafka Streams threads; each runs its tasks' batches through the one shared
 *     ONNX Runtime session
 * @param ortThreads ONNX Runtime intra-op threads for that session
 * @param vae an encoder .onnx (or a directory holding {@code encoder.onnx}, as {@code vae train}
 *     writes) watched for replacements, or empty for the bundled default VAE
 * @param commitInterval how often offsets, latents and waiting frames commit; latents become
 *     visible to read_committed readers only then
 */
public record EncoderSettings(
    String applicationId,
    Batching batching,
    int streamThreads,
    int ortThreads,
    Optional<Path> vae,
    Path stateDir,
    Duration commitInterval,
    Duration progressInterval) {

  public static final String DEFAULT_APPLICATION_ID = "worldstream-encode";

  /** How long a transaction of a dead instance blocks readers at most (see streamsConfig). */
  static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

  /** Chosen by measurement: see docs/BENCHMARKS.md, "Encoder". */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(50);

  public EncoderSettings {
    if (applicationId == null || applicationId.isBlank()) {
      throw new InvalidSettingException("application-id", "the application id is empty");
    }
    InvalidSettingException.atLeast("stream-threads", "stream threads", streamThreads, 1);
    InvalidSettingException.atLeast("ort-threads", "ONNX Runtime threads", ortThreads, 1);
    InvalidSettingException.positive("commit-interval", "the commit interval", commitInterval);
    InvalidSettingException.positive(
        "progress-interval", "the progress interval", progressInterval);
    vae = vae.map(p -> Files.isDirectory(p) ? p.resolve("encoder.onnx") : p);
  }

  /** Defaults that run on one laptop, keeping Kafka Streams' state under {@code stateDir}. */
  public static EncoderSettings defaults(Path stateDir) {
    return new EncoderSettings(
        DEFAULT_APPLICATION_ID,
        Batching.DEFAULT,
        1,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        Optional.empty(),
        stateDir,
        DEFAULT_COMMIT_INTERVAL,
        Duration.ofSeconds(5));
  }

  public EncoderSettings withApplicationId(String id) {
    return new EncoderSettings(
        id, batching, streamThreads, ortThreads, vae, stateDir, commitInterval, progressInterval);
  }

  /**
   * This instance's name in its group, kept in the state directory: the same after a restart on it,
   * different for every other instance.
   */
  public String instanceId() {
    Path file = stateDir.resolve("instance-id");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      Files.createDirectories(stateDir);
      String id = java.util.UUID.randomUUID().toString().substring(0, 8);
      Files.writeString(file, id + "\n");
      return id;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot keep the encoder's instance id in " + file, e);
    }
  }

  /** Where an encoder keeps its Kafka Streams state under Worldstream's data directory. */
  public static Path stateDirUnder(Path dataDir) {
    return dataDir.resolve("encode");
  }

  /**
   * The Kafka Streams configuration: {@code client} (bootstrap servers, security settings) plus
   * exactly-once processing, the dead-letter handlers and the tuning above.
   */
  public Properties streamsConfig(Map<String, Object> client, EncoderMetrics metrics) {
    Properties config = new Properties();
    config.putAll(client);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    // Static membership: an instance restarted on its state directory (after a crash, a kill, an
    // upgrade) takes its partitions back at once, instead of its group waiting out the session
    // timeout for the old member and then rebalancing. Streams appends each thread's index.
    config.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        applicationId + "-" + instanceId());
    // The thread waits for input at most this long, so a waiting batch is seen in time.
    config.put(StreamsConfig.POLL_MS_CONFIG, batching.tick().toMillis());
    config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
    config.put(
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.EXPERIENCE_DLQ.name());
    config.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetters.UndecodableRecords.class);
    config.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.InvalidSteps.class);
    config.put(DeadLetters.METRICS_CONFIG, metrics);
    // Frames compress about 10× (measured on worker output); latents hardly, but cost little.
    config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // A transaction lives one commit interval (50 ms). When an instance dies mid-transaction, its
    // successor (a new transactional id: Streams keeps no process id for in-memory state) cannot
    // fence it, and read_committed readers of its latents and of its changelog wait until the
    // broker aborts it: after this timeout, instead of Streams' 10 s.
    config.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) TRANSACTION_TIMEOUT.toMillis());
    // Streams lingers 100 ms by default; latents sent as they come leave the commit less to do.
    config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    config.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        8 * 1024 * 1024);
    return config;
  }
}
