package io.worldstream.bench.encode;

import io.worldstream.bench.Backlog;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Quantiles;
import io.worldstream.bench.Rates;
import io.worldstream.bench.Scratch;
import io.worldstream.bench.ThreadCpu;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.encode.Encoder;
import io.worldstream.encode.EncoderMetrics;
import io.worldstream.encode.EncoderSettings;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.Exploration;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures the encoder against a real broker, in one run: (1) the standalone VaeEncoder on the same
 * frames, and its preprocessing and ONNX Runtime parts; (2) throughput draining a pre-filled
 * wm.experience backlog, in turns with the standalone VaeEncoder (the baseline) so that both see
 * the same moments of a shared machine, with a CPU profile of the encoder's turns; (3) latency from
 * frame event time to latent committed under real CarRacing workers at a steady load.
 */
public final class EncoderBenchmark {

  /**
   * What the benchmark does besides running the encoder with its own settings.
   *
   * @param frames the measured backlog
   * @param warmupFrames a backlog drained first, unmeasured
   * @param javaProfile whether to sample Java stacks with JFR during the drain (costs throughput)
   * @param turnSeconds how long the encoder drains before each standalone turn
   * @param baselineSeconds how long each standalone turn runs
   * @param latencySeconds time under steady load; 0 skips the latency phase
   * @param latencyEnvs environments at 50 fps each in the latency phase
   */
  public record Settings(
      int frames,
      int warmupFrames,
      boolean javaProfile,
      double turnSeconds,
      double baselineSeconds,
      int latencySeconds,
      int latencyEnvs) {
    public Settings {
      InvalidSettingException.atLeast("frames", "the backlog", frames, 1);
      InvalidSettingException.atLeast("warmup-frames", "the warm-up backlog", warmupFrames, 0);
      if (!(turnSeconds > 0)) {
        throw new InvalidSettingException(
            "turn-seconds", "the encoder's turn must be positive, not " + turnSeconds);
      }
      if (!(baselineSeconds > 0)) {
        throw new InvalidSettingException(
            "baseline-seconds", "the baseline's turn must be positive, not " + baselineSeconds);
      }
      InvalidSettingException.atLeast("latency-seconds", "the latency phase", latencySeconds, 0);
      InvalidSettingException.atLeast(
          "latency-envs", "the latency phase's environments", latencyEnvs, 1);
    }
  }

  /** The standalone encoder gets every core: the baseline is the best this machine does. */
  private static final int BASELINE_THREADS = Runtime.getRuntime().availableProcessors();

  private final EncoderSettings configured;
  private final Optional<KafkaSettings> external;
  private final PrintWriter out;
  private final Figures figures = new Figures();
  private final int frames;
  private final int warmupFrames;
  private final boolean javaProfile;
  private final double turnSeconds;
  private final double baselineSeconds;
  private final int latencySeconds;
  private final int latencyEnvs;

  /**
   * @param configured the encoder's settings; the benchmark gives it a fresh application id and
   *     state directory
   * @param external a Kafka cluster to use, or empty for an in-process broker in a scratch
   *     directory
   */
  public EncoderBenchmark(
      Settings bench,
      EncoderSettings configured,
      Optional<KafkaSettings> external,
      PrintWriter out) {
    this.configured = configured;
    this.external = external;
    this.out = out;
    this.frames = bench.frames();
    this.warmupFrames = bench.warmupFrames();
    this.javaProfile = bench.javaProfile();
    this.turnSeconds = bench.turnSeconds();
    this.baselineSeconds = bench.baselineSeconds();
    this.latencySeconds = bench.latencySeconds();
    this.latencyEnvs = bench.latencyEnvs();
  }

  /** Runs every phase and returns the figures (also printed at the end). */
  public Figures run() throws Exception {
    Path scratch = Scratch.directory("encode");
    EmbeddedKafkaBroker broker = null;
    Map<String, Object> client;
    if (external.isPresent()) {
      client = external.get().clientConfig();
    } else {
      broker =
          EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0));
      client = KafkaSettings.at(broker.bootstrapServers()).clientConfig();
    }
    try {
      run(out, scratch, client, configured);
      figures.print(out);
      return figures;
    } finally {
      if (broker != null) {
        broker.close();
      }
      Scratch.delete(scratch);
    }
  }

  private void run(
      PrintWriter out, Path scratch, Map<String, Object> client, EncoderSettings configured)
      throws Exception {
    KafkaSettings.from(client).createMissingTopics();
    // A fresh application id and state directory: the backlog is this run's alone.
    EncoderSettings settings =
        new EncoderSettings(
            "bench-encode-" + UUID.randomUUID(),
            configured.batching(),
            configured.streamThreads(),
            configured.ortThreads(),
            Optional.empty(),
            scratch.resolve("state"),
            configured.commitInterval(),
            configured.progressInterval());
    String bootstrapServers = KafkaSettings.from(client).bootstrapServers();
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "Encoder benchmark: %d cores, broker %s, batches of %d or %d ms, %d stream thread(s), %d ONNX Runtime thread(s), commit every %d ms%n",
        cores,
        bootstrapServers,
        settings.batching().batchSize(),
        settings.batching().maxBatchDelay().toMillis(),
        settings.streamThreads(),
        settings.ortThreads(),
        settings.commitInterval().toMillis());
    out.flush();
    Backlog backlog = new Backlog(Backlog.carRacingFrames(256));
    List<byte[]> pool = backlog.frames();

    standalone(out, pool, settings);
    try (ModelInService<VaeEncoder> vae =
        VaeEncoder.inService(DefaultVae.encoder(), "the default VAE", settings.ortThreads())) {
      warmUp(out, backlog, client, settings, vae);
      prefill(out, backlog, client, frames);
      try (Encoder encoder = new Encoder(KafkaSettings.from(client), settings, vae, line -> {})) {
        run(out, pool, client, settings, scratch, encoder);
      }
    }
  }

  /**
   * Drains a first backlog with the same application id and closes that instance, so the measured
   * drain runs on compiled code (JIT compilation takes a core for the first ~20 s here) and resumes
   * from the committed offsets.
   */
  private void warmUp(
      PrintWriter out,
      Backlog backlog,
      Map<String, Object> client,
      EncoderSettings settings,
      ModelInService<VaeEncoder> vae)
      throws Exception {
    if (warmupFrames == 0) {
      return;
    }
    prefill(out, backlog, client, warmupFrames);
    long started = System.nanoTime();
    try (Encoder warm = new Encoder(KafkaSettings.from(client), settings, vae, line -> {})) {
      warm.start();
      while (warm.metrics().latentsOut() < warmupFrames) {
        Thread.sleep(20);
      }
    }
    out.printf(
        "warm-up: %,d frames drained and the instance closed in %.1f s%n",
        warmupFrames, (System.nanoTime() - started) / 1e9);
    out.flush();
  }

  private void run(
      PrintWriter out,
      List<byte[]> pool,
      Map<String, Object> client,
      EncoderSettings settings,
      Path scratch,
      Encoder encoder)
      throws Exception {
    Turns turns = drain(out, encoder, client, scratch, pool, settings);
    figures.add("encode.throughput", turns.app(), "frames/s", "standalone-vae", turns.standalone());
    if (latencySeconds > 0) {
      latency(out, client, encoder);
    }
  }

  /**
   * The standalone VaeEncoder on raw frames at the encoder's batch size, and its two parts:
   * preprocessing and ONNX Runtime.
   */
  private void standalone(PrintWriter out, List<byte[]> pool, EncoderSettings settings) {
    int batch = settings.batching().batchSize();
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), BASELINE_THREADS)) {
      List<byte[]> frames = pool.subList(0, Math.min(batch, pool.size()));
      FramePreprocessor preprocessor = FramePreprocessor.carRacing();
      float[] input = new float[batch * VaeSpec.PIXELS];
      double both = rate(() -> encoder.encodeObservations(frames), frames.size());
      double prep =
          rate(
              () -> {
                for (int i = 0; i < frames.size(); i++) {
                  preprocessor.preprocess(frames.get(i), input, i * VaeSpec.PIXELS);
                }
              },
              frames.size());
      double ort = rate(() -> encoder.encode(input, frames.size()), frames.size());
      figures.add("encode.standalone-vae", both, "frames/s");
      out.printf(
          "standalone VaeEncoder, batch %d, %d ONNX Runtime threads: %.0f frames/s (preprocessing alone %.0f, ONNX Runtime alone %.0f)%n",
          frames.size(), BASELINE_THREADS, both, prep, ort);
      out.flush();
    }
  }

  private double rate(Runnable call, int framesPerCall) {
    return Rates.perSecond(
        call,
        framesPerCall,
        Duration.ofSeconds(1),
        Duration.ofNanos((long) (baselineSeconds * 1e9)));
  }

  /** Writes the backlog as workers do, with their producer. */
  private void prefill(PrintWriter out, Backlog backlog, Map<String, Object> client, int count) {
    long started = System.nanoTime();
    backlog.write(client, count);
    out.printf(
        "backlog: %,d frames written in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
    out.flush();
  }

  /** Frames per second of the encoder and of the standalone encoder, each over all its turns. */
  private record Turns(double app, double standalone) {}

  /**
   * Drains the backlog in turns with the standalone VaeEncoder, so that both see the same moments
   * of this shared machine: the encoder drains for {@code --turn-seconds}, is paused, and once the
   * batches it had at the VAE are done the standalone encoder runs {@code --baseline-seconds} on
   * the same frames, both with all cores; then the encoder resumes. The encoder's rate is its
   * frames over its turns, timed from its first latent to its last.
   */
  private Turns drain(
      PrintWriter out,
      Encoder encoder,
      Map<String, Object> client,
      Path scratch,
      List<byte[]> pool,
      EncoderSettings settings)
      throws Exception {
    List<byte[]> batch = pool.subList(0, Math.min(settings.batching().batchSize(), pool.size()));
    try (VaeEncoder standalone = VaeEncoder.load(DefaultVae.encoder(), BASELINE_THREADS)) {
      rate(() -> standalone.encodeObservations(batch), batch.size()); // warms it up
      Path jfr = scratch.resolve("drain.jfr");
      long started = System.nanoTime();
      encoder.start();
      EncoderMetrics metrics = encoder.metrics();
      while (metrics.latentsOut() == 0) {
        Thread.sleep(5);
      }
      long firstLatent = System.nanoTime();
      long encodedBefore = metrics.latentsOut();
      long batchesBefore = metrics.batches();
      double encodeMillisBefore = metrics.encodeMillis();
      String self = Thread.currentThread().getName();
      Map<String, Long> threadNanos = new HashMap<>();
      Map<String, Long> pausedThreadNanos = new HashMap<>();
      long processNanos = 0;
      long appNanos = 0;
      long standaloneFrames = 0;
      long standaloneNanos = 0;
      int turn = 0;
      // Even an unstarted Recording initialises JFR, so none is made unless asked for.
      try (Recording recording = javaProfile ? new Recording() : null) {
        if (recording != null) {
          recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
          recording.start();
        }
        while (true) {
          turn++;
          long turnStart = turn == 1 ? firstLatent : System.nanoTime();
          long latentsAtStart = turn == 1 ? encodedBefore : metrics.latentsOut();
          long cpuAtStart = ThreadCpu.processNanos();
          Map<String, Long> threadsAtStart = ThreadCpu.snapshot();
          long turnEnd = turnStart + (long) (turnSeconds * 1e9);
          while (metrics.latentsOut() < frames && System.nanoTime() < turnEnd) {
            Thread.sleep(5);
          }
          long now = System.nanoTime();
          appNanos += now - turnStart;
          processNanos += ThreadCpu.processNanos() - cpuAtStart;
          ThreadCpu.addSince(threadNanos, threadsAtStart, "");
          double appRate = (metrics.latentsOut() - latentsAtStart) / ((now - turnStart) / 1e9);
          if (metrics.latentsOut() >= frames) {
            out.printf("  turn %d: encoder %,.0f frames/s; backlog drained%n", turn, appRate);
            break;
          }
          encoder.pause();
          // The batches already at the VAE (a few hundred frames at most) finish meanwhile.
          Thread.sleep(300);
          long calls = 0;
          Map<String, Long> othersAtStart = ThreadCpu.snapshot();
          long standaloneStart = System.nanoTime();
          long standaloneEnd = standaloneStart + (long) (baselineSeconds * 1e9);
          do {
            standalone.encodeObservations(batch);
            calls++;
            now = System.nanoTime();
          } while (now < standaloneEnd);
          standaloneFrames += calls * batch.size();
          standaloneNanos += now - standaloneStart;
          ThreadCpu.addSince(pausedThreadNanos, othersAtStart, ThreadCpu.fold(self));
          encoder.resume();
          out.printf(
              "  turn %d: encoder %,.0f frames/s, then standalone %,.0f frames/s (%,d of %,d latents)%n",
              turn,
              appRate,
              calls * batch.size() / ((now - standaloneStart) / 1e9),
              metrics.latentsOut(),
              frames);
          out.flush();
        }
        if (recording != null) {
          recording.stop();
          recording.dump(jfr);
        }
      }
      double seconds = appNanos / 1e9;
      double rate = (frames - encodedBefore) / seconds;
      double meanBatch = (frames - encodedBefore) / (double) (metrics.batches() - batchesBefore);
      double inEncoder = (metrics.encodeMillis() - encodeMillisBefore) / 1e3 / seconds;
      long committed = awaitCommitted(client, Topics.LATENTS.name(), warmupFrames + frames);
      out.printf(
          "drain: %,d frames in %.1f s of encoder turns (%d turns) after a %.1f s start → %.0f frames/s; mean batch %.1f; VAE thread encoding %.0f %% of the time; process CPU %.2f of %d cores; %,d latents committed%n",
          frames - encodedBefore,
          seconds,
          turn,
          (firstLatent - started) / 1e9,
          rate,
          meanBatch,
          100 * inEncoder,
          processNanos / 1e9 / seconds,
          Runtime.getRuntime().availableProcessors(),
          committed);
      out.printf(
          "standalone turns: %,.0f frames/s over %.1f s; meanwhile the paused encoder, the broker and the rest of the JVM's threads used %.2f cores%n",
          standaloneFrames / (standaloneNanos / 1e9),
          standaloneNanos / 1e9,
          pausedThreadNanos.values().stream().mapToLong(Long::longValue).sum()
              / (double) standaloneNanos);
      streamsMetrics(out, encoder);
      out.printf("CPU by thread during the drain (cores):%n");
      ThreadCpu.print(out, threadNanos, processNanos, seconds);
      figures.add(
          "encode.process-cpu",
          processNanos / 1e9 / seconds,
          "cores",
          "available",
          Runtime.getRuntime().availableProcessors());
      if (javaProfile) {
        profile(out, jfr, self);
      }
      return new Turns(rate, standaloneFrames / (standaloneNanos / 1e9));
    }
  }

  /** Kafka Streams' own figures over its last ~30 s. */
  private static void streamsMetrics(PrintWriter out, Encoder encoder) {
    out.printf(
        "Kafka Streams: commit latency avg %.1f ms, max %.1f ms, %.1f commits/s; poll latency avg %.1f ms; process latency avg %.3f ms%n",
        encoder.streamsMetric("stream-thread-metrics", "commit-latency-avg"),
        encoder.streamsMetric("stream-thread-metrics", "commit-latency-max"),
        encoder.streamsMetric("stream-thread-metrics", "commit-rate"),
        encoder.streamsMetric("stream-thread-metrics", "poll-latency-avg"),
        encoder.streamsMetric("stream-thread-metrics", "process-latency-avg"));
    out.flush();
  }

  /**
   * Java CPU samples by component, from JFR's execution samples (native ORT time is not in them),
   * leaving out {@code standaloneThread}, which ran the standalone turns.
   */
  private static void profile(PrintWriter out, Path jfr, String standaloneThread) throws Exception {
    Map<String, Integer> samples = new TreeMap<>();
    int total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      if (event.getStackTrace() == null) {
        continue;
      }
      RecordedThread sampled = event.getThread("sampledThread");
      String thread = sampled == null || sampled.getJavaName() == null ? "" : sampled.getJavaName();
      if (thread.equals(standaloneThread)) {
        continue;
      }
      samples.merge(component(thread, event.getStackTrace().getFrames()), 1, Integer::sum);
      total++;
    }
    out.printf("profile (%d JFR samples of Java code on CPU, all threads):%n", total);
    int all = total;
    samples.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    out.flush();
  }

  private static String component(String thread, List<RecordedFrame> frames) {
    boolean streams = thread.contains("StreamThread");
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("io.worldstream.models.vae.FramePreprocessor")) {
        return "encoder: frame preprocessing (FramePreprocessor)";
      }
      if (type.startsWith("ai.onnxruntime")) {
        return "encoder: ONNX Runtime Java side (tensor copies)";
      }
      if (type.startsWith("net.jpountz") || type.contains(".compress.")) {
        return (streams ? "encoder" : "other") + ": lz4 (de)compression";
      }
      if (type.startsWith("org.apache.avro") || type.startsWith("io.worldstream.records")) {
        return (streams ? "encoder" : "other") + ": Avro (de)serialisation";
      }
    }
    if (streams) {
      return "encoder: Kafka Streams and clients (fetch, state store, produce, commit)";
    }
    if (thread.contains("kafka-producer") || thread.contains("StreamThread")) {
      return "encoder: producer I/O";
    }
    if (thread.startsWith("data-plane")
        || thread.contains("kafka-")
        || thread.contains("broker")
        || thread.contains("raft")
        || thread.contains("controller")) {
      return "broker (in-process)";
    }
    return "other threads (" + (thread.isEmpty() ? "JVM" : thread.replaceAll("[-0-9]+$", "")) + ")";
  }

  /** Real CarRacing workers at real time; latency = committed-visible time − frame event time. */
  private void latency(PrintWriter out, Map<String, Object> client, Encoder encoder)
      throws Exception {
    String workerId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    WorkerSettings options =
        new WorkerSettings(
            CarRacing.ID,
            latencyEnvs,
            WorkerSettings.Policy.BROWNIAN,
            OptionalLong.empty(),
            OptionalDouble.of(50),
            1000,
            OptionalLong.of(500),
            workerId,
            "default",
            Exploration.NONE,
            Duration.ofSeconds(10));
    ExperienceWorker worker = new ExperienceWorker(options, KafkaSettings.from(client), line -> {});
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    List<long[]> seen = new ArrayList<>();
    try (var reader =
        new TopicReader<>(
            config,
            List.of(Topics.LATENTS.name()),
            TopicReader.From.END,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      worker.start();
      long warmEnd = System.currentTimeMillis() + 3_000;
      long end = warmEnd + latencySeconds * 1000L;
      while (System.currentTimeMillis() < end) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          LatentStep latent =
              Topics.LATENTS.valueSerde().deserializer().deserialize("", record.value());
          long event = latent.getEventTime().toEpochMilli();
          if (event >= warmEnd && latent.getEpisodeId().startsWith(workerId)) {
            seen.add(new long[] {now - event, latent.getEncodeTime().toEpochMilli() - event});
          }
        }
      }
      worker.stop(Duration.ofSeconds(30));
    }
    Quantiles total = new Quantiles(seen.stream().mapToLong(s -> s[0]).toArray());
    Quantiles toEmit = new Quantiles(seen.stream().mapToLong(s -> s[1]).toArray());
    out.printf(
        "latency at %d frames/s offered (%d environments × 50 fps), %,d latents over %d s: event time → committed p50 %d ms, p90 %d ms, p99 %d ms, max %d ms; event time → emitted p50 %d ms, p99 %d ms%n",
        latencyEnvs * 50,
        latencyEnvs,
        total.count(),
        latencySeconds,
        total.at(0.5),
        total.at(0.9),
        total.at(0.99),
        total.max(),
        toEmit.at(0.5),
        toEmit.at(0.99));
    // The baseline: when the encoder emitted the latent, before the commit made it visible.
    figures.add("encode.latency-p50", total.at(0.5), "ms", "emitted-p50", toEmit.at(0.5));
    figures.add("encode.latency-p99", total.at(0.99), "ms", "emitted-p99", toEmit.at(0.99));
    streamsMetrics(out, encoder);
  }

  private static long awaitCommitted(Map<String, Object> client, String topic, long expected)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      long deadline = System.currentTimeMillis() + 60_000;
      long count = 0;
      while (System.currentTimeMillis() < deadline) {
        var beginning = consumer.beginningOffsets(partitions);
        var end = consumer.endOffsets(partitions);
        count = 0;
        for (TopicPartition p : partitions) {
          count += end.get(p) - beginning.get(p);
        }
        // End offsets under read_committed stop at the last stable offset; commit markers count
        // too.
        if (count >= expected) {
          return count;
        }
        Thread.sleep(100);
      }
      return count;
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    return consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }
}
