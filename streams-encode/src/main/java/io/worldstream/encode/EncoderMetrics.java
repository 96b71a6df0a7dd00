package io.worldstream.encode;

import io.worldstream.service.PartMetrics;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * Counts what the encoder did, for its progress line and benchmarks: frames in, latents out,
 * batches, rejections by reason, and the latency from a frame's event time to its latent's emit.
 * Stream threads record; one reader takes {@link #interval() intervals}. Thread-safe.
 *
 * <p>{@link #exposeIn} shows the same figures as Kafka metrics (JMX {@code
 * worldstream:type=encoder}): {@code frames-in-total}, {@code latents-total} and {@code
 * latents-rate}, {@code batches-total}, {@code encode-seconds-total}, {@code rejected-total} and
 * one {@code rejected-<reason>-total} per reason, and {@code latency-avg}/{@code latency-max} (ms
 * from a frame's event time to its latent's emit, over the last half minute or so).
 */
public final class EncoderMetrics {

  private final LongAdder framesIn = new LongAdder();
  private final LongAdder latentsOut = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder encodeNanos = new LongAdder();
  private final AtomicLongArray rejected = new AtomicLongArray(Rejection.values().length);
  private final Object latencyLock = new Object();
  private long[] latencies = new long[1024];
  private int latencyCount;

  private volatile Sensor latentsSensor;
  private volatile Sensor latencySensor;

  private long lastFramesIn;
  private long lastLatentsOut;
  private long lastBatches;
  private long lastEncodeNanos;

  /** Shows these figures in {@code metrics} from now on. */
  public void exposeIn(PartMetrics metrics) {
    metrics.gauge("frames-in-total", "frames accepted into batches", framesIn::sum);
    metrics.gauge("batches-total", "batches encoded", batches::sum);
    metrics.gauge(
        "encode-seconds-total", "time spent in the VAE encoder", () -> encodeNanos.sum() / 1e9);
    metrics.gauge("rejected-total", "records sent to the dead-letter topic", this::rejectedTotal);
    for (Rejection reason : Rejection.values()) {
      metrics.gauge(
          "rejected-" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-total",
          "records sent to the dead-letter topic as " + reason,
          () -> rejected.get(reason.ordinal()));
    }
    Sensor latency = metrics.sensor("latency");
    latency.add(
        metrics.name("latency-avg", "ms from a frame's event time to its latent's emit, mean"),
        new Avg());
    latency.add(
        metrics.name("latency-max", "ms from a frame's event time to its latent's emit, most"),
        new Max());
    latencySensor = latency;
    latentsSensor = metrics.meter("latents", "latents emitted");
  }

  /** A frame passed validation and waits in a batch. */
  void frameIn() {
    framesIn.increment();
  }

  void rejected(Rejection reason) {
    rejected.incrementAndGet(reason.ordinal());
  }

  /** A batch was encoded in {@code nanos} and its latents emitted at {@code emitMillis}. */
  void batch(long[] eventTimes, int size, long emitMillis, long nanos) {
    batches.increment();
    latentsOut.add(size);
    encodeNanos.add(nanos);
    synchronized (latencyLock) {
      if (latencyCount + size > latencies.length) {
        latencies = Arrays.copyOf(latencies, Math.max(latencies.length * 2, latencyCount + size));
      }
      for (int i = 0; i < size; i++) {
        latencies[latencyCount++] = emitMillis - eventTimes[i];
      }
    }
    Sensor latents = latentsSensor;
    if (latents != null) {
      latents.record(size);
      for (int i = 0; i < size; i++) {
        latencySensor.record(emitMillis - eventTimes[i]);
      }
    }
  }

  public long framesIn() {
    return framesIn.sum();
  }

  public long latentsOut() {
    return latentsOut.sum();
  }

  public long batches() {
    return batches.sum();
  }

  /** Time spent in the VAE encoder (preprocessing and ONNX Runtime) since start. */
  public double encodeMillis() {
    return encodeNanos.sum() / 1e6;
  }

  public long rejectedTotal() {
    long total = 0;
    for (int i = 0; i < rejected.length(); i++) {
      total += rejected.get(i);
    }
    return total;
  }

  public Map<Rejection, Long> rejectedByReason() {
    Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
    for (Rejection reason : Rejection.values()) {
      long n = rejected.get(reason.ordinal());
      if (n > 0) {
        counts.put(reason, n);
      }
    }
    return counts;
  }

  /**
   * What happened since the previous call (the first call: since start).
   *
   * @param framesIn frames accepted into batches
   * @param latentsOut latents emitted
   * @param batches batches encoded
   * @param encodeMillis time spent in the encoder
   * @param latencyMillis each emitted latent's event-time-to-emit latency, sorted
   */
  public record Interval(
      long framesIn, long latentsOut, long batches, double encodeMillis, long[] latencyMillis) {

    public double meanBatch() {
      return batches == 0 ? 0 : (double) latentsOut / batches;
    }

    /** The q-quantile (0..1) of latency by nearest rank, or -1 when nothing was emitted. */
    public long latencyQuantile(double q) {
      if (latencyMillis.length == 0) {
        return -1;
      }
      int rank = (int) Math.ceil(q * latencyMillis.length);
      return latencyMillis[Math.max(0, Math.min(latencyMillis.length - 1, rank - 1))];
    }
  }

  public synchronized Interval interval() {
    long[] window;
    synchronized (latencyLock) {
      window = Arrays.copyOf(latencies, latencyCount);
      latencyCount = 0;
    }
    Arrays.sort(window);
    long in = framesIn.sum();
    long out = latentsOut.sum();
    long b = batches.sum();
    long nanos = encodeNanos.sum();
    Interval interval =
        new Interval(
            in - lastFramesIn,
            out - lastLatentsOut,
            b - lastBatches,
            (nanos - lastEncodeNanos) / 1e6,
            window);
    lastFramesIn = in;
    lastLatentsOut = out;
    lastBatches = b;
    lastEncodeNanos = nanos;
    return interval;
  }
}
