package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.PartMetrics;
import io.worldstream.service.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One encoder instance: the {@link EncoderTopology} running in Kafka Streams; the VAE it encodes
 * with, which follows either a file ({@code --vae}, watched for changes) or else {@code wm.vae}
 * (the newest VAE published there, the bundled default before one is), each offered to the {@link
 * ModelInService}; and a progress line every few seconds.
 */
public final class Encoder implements Service, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Encoder.class);

  private final KafkaSettings kafka;
  private final EncoderSettings settings;
  private final ModelInService<VaeEncoder> vae;
  private VaeTopicFollower vaeTopic;
  private final boolean ownsVae;
  private final EncoderMetrics metrics = new EncoderMetrics();
  private final PartMetrics exposed;
  private final KafkaStreams streams;
  private final ScheduledExecutorService chores;
  private final ExecutorService encoding;
  private final Consumer<String> progress;
  private final ThreadReplacements replacements = ThreadReplacements.defaults();
  private volatile Throwable failure;
  private volatile boolean closing;

  /**
   * An encoder with the VAE its settings name (the file, or the bundled default), loaded and
   * checked now, before anything connects; the encoder closes it.
   *
   * @param progress where progress lines go
   * @throws IllegalArgumentException if the VAE cannot be read or is not a working VAE encoder
   */
  public static Encoder create(
      KafkaSettings kafka, EncoderSettings settings, Consumer<String> progress) {
    return new Encoder(kafka, settings, loadVae(settings), true, vaeThread(), progress);
  }

  /**
   * An encoder with a VAE in service that the caller owns.
   *
   * @param progress where progress lines go
   */
  public Encoder(
      KafkaSettings kafka,
      EncoderSettings settings,
      ModelInService<VaeEncoder> vae,
      Consumer<String> progress) {
    this(kafka, settings, vae, false, vaeThread(), progress);
  }

  /** As the public constructor, with the executor the VAE runs on, which tests make fail. */
  Encoder(
      KafkaSettings kafka,
      EncoderSettings settings,
      ModelInService<VaeEncoder> vae,
      ExecutorService encoding,
      Consumer<String> progress) {
    this(kafka, settings, vae, false, encoding, progress);
  }

  private Encoder(
      KafkaSettings kafka,
      EncoderSettings settings,
      ModelInService<VaeEncoder> vae,
      boolean ownsVae,
      ExecutorService encoding,
      Consumer<String> progress) {
    this.kafka = kafka;
    this.settings = settings;
    this.vae = vae;
    this.ownsVae = ownsVae;
    this.progress = progress;
    this.exposed =
        new PartMetrics("encoder", settings.applicationId() + "-" + settings.instanceId());
    metrics.exposeIn(exposed);
    Map<String, Object> client = kafka.clientConfig();
    StreamsBuilder builder = new StreamsBuilder();
    this.encoding = encoding;
    EncoderTopology.build(builder, vae, encoding, metrics, settings.batching());
    var config = settings.streamsConfig(client, metrics);
    this.streams = new KafkaStreams(builder.build(config), config);
    streams.setUncaughtExceptionHandler(this::threadFailed);
    this.chores = Executors.newSingleThreadScheduledExecutor(daemon("encoder-chores"));
  }

  /**
   * A stream thread failed: it is replaced, and its tasks resume from their last commit, unless
   * failures recur ({@link ThreadReplacements}) or the encoder is closing; then the encoder stops.
   */
  private StreamThreadExceptionResponse threadFailed(Throwable e) {
    if (!closing && replacements.replace()) {
      log.warn(
          "A stream thread failed ({}); replacing it (failure {} of at most {}). Its tasks resume"
              + " from their last commit, so no frame is lost or encoded twice",
          rootCause(e),
          replacements.recent(),
          replacements.describe());
      progress.accept(
          "encode: replaced a failed stream thread; resuming from the last commit ("
              + rootCause(e).getMessage()
              + ")");
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    failure = e;
    log.error(
        "Encoder stopped by an unexpected failure (more than {} failed stream threads); restart"
            + " it to resume",
        replacements.describe(),
        e);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static ExecutorService vaeThread() {
    return Executors.newSingleThreadExecutor(daemon("vae-encoder"));
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static ModelInService<VaeEncoder> loadVae(EncoderSettings settings) {
    Optional<Path> file = settings.vae();
    if (file.isEmpty()) {
      return VaeEncoder.inService(
          DefaultVae.encoder(), "the bundled default VAE", settings.ortThreads());
    }
    Path path = file.get();
    byte[] onnx;
    try {
      onnx = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the VAE encoder " + path + ": " + e.getMessage(), e);
    }
    try {
      return VaeEncoder.inService(onnx, path.toString(), settings.ortThreads());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot use " + path + " as the VAE encoder: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "encoder";
  }

  @Override
  public Map<String, ?> configuration() {
    Map<String, Object> shown = EffectiveConfiguration.of(settings, kafka);
    shown.put("vae-version", ModelVersion.shortForm(vae.version()));
    shown.put("onnx-runtime", vae.apply(v -> v.model().device()));
    return shown;
  }

  /** Creates the topics that are missing, then starts Kafka Streams. */
  @Override
  public void start() {
    kafka.createMissingTopics();
    streams.start();
    long every = settings.progressInterval().toMillis();
    chores.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);
    if (settings.vae().isPresent()) {
      chores.scheduleWithFixedDelay(
          new VaeFileWatcher(settings.vae().get(), vae), 2, 2, TimeUnit.SECONDS);
    } else {
      // No file named: the newest VAE published on wm.vae, else the bundled default.
      vaeTopic = new VaeTopicFollower(kafka.clientConfig(), vae);
      chores.scheduleWithFixedDelay(vaeTopic, 0, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Stops taking input (Kafka Streams' pause); batches already at the VAE finish, and their latents
   * leave after {@link #resume}.
   */
  public void pause() {
    streams.pause();
  }

  public void resume() {
    streams.resume();
  }

  /** Input partitions this instance is working on now (its active tasks). */
  public int activeTasks() {
    return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
  }

  /**
   * What this encoder did, for its progress line and benchmarks; the same figures are Kafka metrics
   * in JMX ({@code worldstream:type=encoder,instance=<application id>-<instance id>}).
   */
  public EncoderMetrics metrics() {
    return metrics;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public boolean isReady() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * The failure that stopped the encoder: an unexpected error in a stream thread, or Kafka Streams
   * stopping by itself.
   */
  @Override
  public Optional<Throwable> failure() {
    Throwable stoppedBy = failure;
    if (stoppedBy != null) {
      return Optional.of(
          new IllegalStateException(
              stoppedBy.getMessage() + "; nothing is lost, run it again to resume", stoppedBy));
    }
    KafkaStreams.State state = streams.state();
    if (!closing
        && (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING)) {
      return Optional.of(
          new IllegalStateException(
              "Kafka Streams stopped (" + state + "); run it again to resume"));
    }
    return Optional.empty();
  }

  /**
   * Kafka Streams' own metric of this instance, summed over its threads (e.g. stream-thread-metrics
   * commit-latency-avg), or NaN when absent.
   */
  public double streamsMetric(String group, String name) {
    return sum(m -> m.group().equals(group) && m.name().equals(name));
  }

  /** Records of wm.experience not yet read by this instance's assigned partitions. */
  public long consumerLag() {
    String topic = Topics.EXPERIENCE.name().replace('.', '_');
    double lag =
        sum(
            m ->
                m.group().equals("consumer-fetch-manager-metrics")
                    && m.name().equals("records-lag")
                    && m.tags().containsKey("topic")
                    && m.tags().get("topic").replace('.', '_').equals(topic));
    return Double.isNaN(lag) ? 0 : (long) lag;
  }

  /**
   * The sum of the finite values of the metrics {@code which} picks, or NaN when there are none.
   */
  private double sum(Predicate<MetricName> which) {
    double sum = Double.NaN;
    for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
      if (which.test(entry.getKey())
          && entry.getValue().metricValue() instanceof Double value
          && Double.isFinite(value)) {
        sum = Double.isNaN(sum) ? value : sum + value;
      }
    }
    return sum;
  }

  /** The progress line for the interval since the previous one. */
  String progressLine(EncoderMetrics.Interval interval, double seconds) {
    return String.format(
        "encode: %,.0f frames/s in, %,.0f latents/s out, batch %.1f, latency p50 %s p99 %s,"
            + " dlq %,d, lag %,d, vae %s, %s",
        interval.framesIn() / seconds,
        interval.latentsOut() / seconds,
        interval.meanBatch(),
        millis(interval.latencyQuantile(0.5)),
        millis(interval.latencyQuantile(0.99)),
        metrics.rejectedTotal(),
        consumerLag(),
        ModelVersion.shortForm(vae.version()),
        streams.state().name().toLowerCase());
  }

  private void report() {
    try {
      progress.accept(
          progressLine(metrics.interval(), settings.progressInterval().toMillis() / 1000.0));
    } catch (RuntimeException e) {
      log.warn("Cannot report progress: {}", e.toString());
    }
  }

  private static String millis(long value) {
    return value < 0 ? "-" : value + " ms";
  }

  /**
   * Stops processing and leaves the group, so the other instances take the partitions over at once
   * rather than after the session timeout; waiting frames stay in the changelog for them.
   */
  @Override
  public void stop(Duration timeout) {
    closing = true;
    chores.shutdownNow();
    if (vaeTopic != null) {
      try {
        chores.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      vaeTopic.close();
    }
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(timeout));
    encoding.shutdown();
    exposed.close();
    if (ownsVae) {
      vae.close();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
