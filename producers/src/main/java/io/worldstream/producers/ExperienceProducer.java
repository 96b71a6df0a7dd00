package io.worldstream.producers;

import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes experience steps to {@code wm.experience}, keyed by episode, with an idempotent
 * producer: the broker drops the duplicates that retries create, and retries go on for as long as a
 * broker restart may take, with sends blocking (and so the environments pausing) while the buffer
 * is full. A failed delivery is kept and reported; it means data was lost. Workers publish with it,
 * and benchmarks write their backlogs with it, so both send alike.
 */
public final class ExperienceProducer implements AutoCloseable {

  /** How long a step may wait for a broker before the worker gives up on it. */
  static final Duration DELIVERY_TIMEOUT = Duration.ofHours(1);

  private final Producer<String, ExperienceStep> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  public ExperienceProducer(Map<String, Object> clientConfig, String clientId) {
    Map<String, Object> config = new HashMap<>(defaults(clientId));
    config.putAll(clientConfig);
    this.producer =
        new KafkaProducer<>(
            config,
            Topics.EXPERIENCE.keySerde().serializer(),
            Topics.EXPERIENCE.valueSerde().serializer());
  }

  static Map<String, Object> defaults(String clientId) {
    return Map.ofEntries(
        Map.entry(ProducerConfig.CLIENT_ID_CONFIG, clientId),
        Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
        Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
        Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
        Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
        Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
        Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis()),
        Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT.toMillis()),
        Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000));
  }

  /** Queues one step; blocks while the producer's buffer is full. */
  public void send(ExperienceStep step) {
    int size = step.getFrame().getPixels().remaining();
    sent.incrementAndGet();
    producer.send(
        new ProducerRecord<>(Topics.EXPERIENCE.name(), step.getEpisodeId(), step),
        (metadata, exception) -> {
          if (exception == null) {
            acknowledged.incrementAndGet();
            bytes.addAndGet(size);
          } else {
            failure.compareAndSet(null, exception);
          }
        });
  }

  /** Steps queued but not yet acknowledged by the broker. */
  long backlog() {
    return sent.get() - acknowledged.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /** Frame bytes acknowledged (raw, before compression). */
  long frameBytes() {
    return bytes.get();
  }

  /** The first delivery failure, if any. */
  public Exception failure() {
    return failure.get();
  }

  /** Waits until everything queued is acknowledged or has failed. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
