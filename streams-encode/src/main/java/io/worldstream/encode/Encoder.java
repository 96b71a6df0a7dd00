package io.worldstream.encode;

import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.Map;
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
 * One encoder instance: the {@link EncoderTopology} running in Kafka Streams, a watcher that offers
 * a changed VAE file to the {@link VaeInService}, and a progress line every few seconds.
 */
public final class Encoder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Encoder.class);

  private final EncoderSettings settings;
  private final VaeInService vae;
  private final EncoderMetrics metrics = new EncoderMetrics();
  private final KafkaStreams streams;
  private final ScheduledExecutorService chores;
  private final ExecutorService encoding;
  private final Consumer<String> progress;
  private volatile Throwable failure;

  /**
   * @param client Kafka client settings: bootstrap servers and any security settings
   * @param progress where progress lines go
   */
  public Encoder(
      Map<String, Object> client,
      EncoderSettings settings,
      VaeInService vae,
      Consumer<String> progress) {
    this.settings = settings;
    this.vae = vae;
    this.progress = progress;
    StreamsBuilder builder = new StreamsBuilder();
    this.encoding = Executors.newSingleThreadExecutor(daemon("vae-encoder"));
    EncoderTopology.build(builder, vae, encoding, metrics, settings.batching());
    var config = settings.streamsConfig(client, metrics);
    this.streams = new KafkaStreams(builder.build(config), config);
    streams.setUncaughtExceptionHandler(
        e -> {
          failure = e;
          log.error("Encoder stopped by an unexpected failure; restart it to resume", e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    this.chores = Executors.newSingleThreadScheduledExecutor(daemon("encoder-chores"));
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  public void start() {
    streams.start();
    long every = settings.progressInterval().toMillis();
    chores.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);
    settings
        .vaeFile()
        .ifPresent(
            file ->
                chores.scheduleWithFixedDelay(
                    new VaeFileWatcher(file, vae), 2, 2, TimeUnit.SECONDS));
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

  public EncoderMetrics metrics() {
    return metrics;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The failure that stopped the encoder, or null. */
  public Throwable failure() {
    return failure;
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
        VaeInService.short12(vae.version()),
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
  public void close() {
    chores.shutdownNow();
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    encoding.shutdown();
  }
}
