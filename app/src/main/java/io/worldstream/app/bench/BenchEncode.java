package io.worldstream.app.bench;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.EncoderOptions;
import io.worldstream.app.KafkaOptions;
import io.worldstream.app.Worldstream;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.encode.Encoder;
import io.worldstream.encode.EncoderMetrics;
import io.worldstream.encode.EncoderSettings;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the encoder (worldstream encode) against a real broker, in one run:",
      "1. the standalone VaeEncoder on the same frames, and its preprocessing and ORT parts;",
      "2. throughput draining a pre-filled wm.experience backlog, in turns with the standalone",
      "   VaeEncoder (the baseline) so that both see the same moments of a shared machine,",
      "   with a CPU profile of the encoder's turns;",
      "3. latency from frame event time to latent committed under real CarRacing workers",
      "   at a steady offered load (default 4 environments at real-time 50 fps = 200 frames/s).",
      "Starts an in-process broker in a temporary directory unless --bootstrap-servers is given."
    })
public final class BenchEncode implements Callable<Integer> {

  /** The standalone encoder gets every core: the baseline is the best this machine does. */
  private static final int BASELINE_THREADS = Runtime.getRuntime().availableProcessors();

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin EncoderOptions encoder;

  @Option(
      names = "--frames",
      defaultValue = "20000",
      description = "Backlog size (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--java-profile",
      description = {
        "Also sample Java stacks with JFR during the drain. Starting a recording makes the JVM",
        "re-instrument its socket and file classes and recompile what depends on them, which",
        "costs throughput: use it to see where Java time goes, not for the figure."
      })
  boolean javaProfile;

  @Option(
      names = "--warmup-frames",
      defaultValue = "20000",
      description = "Backlog drained first, unmeasured (default: ${DEFAULT-VALUE}).")
  int warmupFrames;

  @Option(
      names = "--turn-seconds",
      defaultValue = "5",
      description =
          "How long the encoder drains before each standalone turn (default: ${DEFAULT-VALUE}).")
  double turnSeconds;

  @Option(
      names = "--baseline-seconds",
      defaultValue = "2",
      description = "How long each standalone turn runs (default: ${DEFAULT-VALUE}).")
  double baselineSeconds;

  @Option(
      names = "--latency-seconds",
      defaultValue = "30",
      description =
          "Time under steady load; 0 skips the latency phase (default: ${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(
      names = "--latency-envs",
      defaultValue = "4",
      description = "Environments at 50 fps each in the latency phase (default: ${DEFAULT-VALUE}).")
  int latencyEnvs;

  @Override
  public Integer call() throws Exception {
    if (frames < 1 || baselineSeconds <= 0 || turnSeconds <= 0 || latencySeconds < 0) {
      throw new CommandFailure(
          "--frames, --turn-seconds and --baseline-seconds must be positive",
          Worldstream.USAGE,
          null);
    }
    EncoderSettings configured = encoder.settings();
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = Files.createTempDirectory("worldstream-bench-encode");
    EmbeddedKafkaBroker broker = null;
    Map<String, Object> client;
    if (spec.commandLine().getParseResult().hasMatchedOption("--bootstrap-servers")) {
      client = kafka.clientConfig();
    } else {
      broker =
          EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0));
      client = KafkaSettings.at(broker.bootstrapServers()).clientConfig();
    }
    try {
      return run(out, scratch, client, configured);
    } finally {
      if (broker != null) {
        broker.close();
      }
      deleteTree(scratch);
    }
  }

  private int run(
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
    List<byte[]> pool = carRacingFrames(256);

    standalone(out, pool, settings);
    try (ModelInService<VaeEncoder> vae =
        VaeEncoder.inService(DefaultVae.encoder(), "the default VAE", settings.ortThreads())) {
      warmUp(out, pool, client, settings, vae);
      prefill(out, pool, client, frames);
      try (Encoder encoder = new Encoder(KafkaSettings.from(client), settings, vae, line -> {})) {
        run(out, pool, client, settings, scratch, encoder);
      }
    }
    return 0;
  }

  /**
   * Drains a first backlog with the same application id and closes that instance, so the measured
   * drain runs on compiled code (JIT compilation takes a core for the first ~20 s here) and resumes
   * from the committed offsets.
   */
  private void warmUp(
      PrintWriter out,
      List<byte[]> pool,
      Map<String, Object> client,
      EncoderSettings settings,
      ModelInService<VaeEncoder> vae)
      throws Exception {
    if (warmupFrames == 0) {
      return;
    }
    prefill(out, pool, client, warmupFrames);
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
    out.printf(
        "RESULT throughput: app %.0f frames/s = %.0f %% of the standalone encoder's %.0f frames/s in the turns between (goal ≥ 70 %% and ≥ 1,000)%n",
        turns.app(), 100 * turns.app() / turns.standalone(), turns.standalone());
    out.flush();
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
      out.printf(
          "standalone VaeEncoder, batch %d, %d ONNX Runtime threads: %.0f frames/s (preprocessing alone %.0f, ONNX Runtime alone %.0f)%n",
          frames.size(), BASELINE_THREADS, both, prep, ort);
      out.flush();
    }
  }

  private double rate(Runnable call, int framesPerCall) {
    long warm = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warm) {
      call.run();
    }
    long calls = 0;
    long start = System.nanoTime();
    long end = start + (long) (baselineSeconds * 1e9);
    long now;
    do {
      call.run();
      calls++;
      now = System.nanoTime();
    } while (now < end);
    return calls * framesPerCall / ((now - start) / 1e9);
  }

  /** Writes the backlog the way workers do: lz4, idempotent, episodes of 1,000 steps. */
  private void prefill(PrintWriter out, List<byte[]> pool, Map<String, Object> client, int frames)
      throws Exception {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    long started = System.nanoTime();
    try (var producer =
        new KafkaProducer<>(
            config,
            Topics.EXPERIENCE.keySerde().serializer(),
            Topics.EXPERIENCE.valueSerde().serializer())) {
      String episode = null;
      Random random = new Random(5);
      for (int i = 0; i < frames; i++) {
        int t = i % 1000;
        if (t == 0) {
          episode = "bench-" + UUID.randomUUID();
        }
        ExperienceStep step =
            ExperienceStep.newBuilder()
                .setEpisodeId(episode)
                .setWorkerId("bench")
                .setEnvId(CarRacing.ID)
                .setEnvSeed(i / 1000)
                .setStep(t)
                .setFrame(
                    new Frame(96, 96, 3, ByteBuffer.wrap(pool.get(random.nextInt(pool.size())))))
                .setAction(List.of(0f, 0.5f, 0f))
                .setReward(-0.1)
                .setTerminated(false)
                .setTruncated(t == 999)
                .setPolicyId("brownian")
                .setPolicyVersion(0)
                .setEventTime(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(Topics.EXPERIENCE.name(), episode, step));
      }
      producer.flush();
    }
    out.printf(
        "backlog: %,d frames written in %.1f s%n", frames, (System.nanoTime() - started) / 1e9);
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
          long cpuAtStart = processCpuNanos();
          Map<String, Long> threadsAtStart = threadCpuNanos();
          long turnEnd = turnStart + (long) (turnSeconds * 1e9);
          while (metrics.latentsOut() < frames && System.nanoTime() < turnEnd) {
            Thread.sleep(5);
          }
          long now = System.nanoTime();
          appNanos += now - turnStart;
          processNanos += processCpuNanos() - cpuAtStart;
          addThreadCpu(threadNanos, threadsAtStart, "");
          double appRate = (metrics.latentsOut() - latentsAtStart) / ((now - turnStart) / 1e9);
          if (metrics.latentsOut() >= frames) {
            out.printf("  turn %d: encoder %,.0f frames/s; backlog drained%n", turn, appRate);
            break;
          }
          encoder.pause();
          // The batches already at the VAE (a few hundred frames at most) finish meanwhile.
          Thread.sleep(300);
          long calls = 0;
          Map<String, Long> othersAtStart = threadCpuNanos();
          long standaloneStart = System.nanoTime();
          long standaloneEnd = standaloneStart + (long) (baselineSeconds * 1e9);
          do {
            standalone.encodeObservations(batch);
            calls++;
            now = System.nanoTime();
          } while (now < standaloneEnd);
          standaloneFrames += calls * batch.size();
          standaloneNanos += now - standaloneStart;
          addThreadCpu(pausedThreadNanos, othersAtStart, fold(self));
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
      threadProfile(out, threadNanos, processNanos, seconds);
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

  /** CPU time of every live Java thread, by thread name with numbers folded. */
  private static Map<String, Long> threadCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long nanos = threads.getThreadCpuTime(id);
      if (info != null && nanos > 0) {
        cpu.merge(fold(info.getThreadName()), nanos, Long::sum);
      }
    }
    return cpu;
  }

  /** A thread's name with ids and numbers folded, so that its kind's threads add up. */
  private static String fold(String threadName) {
    return threadName.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*").replaceAll("\\d+", "N");
  }

  /** Adds each Java thread's CPU time since {@code since} to {@code into}, but {@code except}'s. */
  private static void addThreadCpu(Map<String, Long> into, Map<String, Long> since, String except) {
    threadCpuNanos()
        .forEach(
            (name, nanos) -> {
              if (!name.equals(except)) {
                into.merge(name, nanos - since.getOrDefault(name, 0L), Long::sum);
              }
            });
  }

  /** Cores used per thread group during the drain; what no Java thread used is native or GC. */
  private static void threadProfile(
      PrintWriter out, Map<String, Long> used, long processNanos, double seconds) {
    long java = used.values().stream().mapToLong(Long::longValue).sum();
    out.printf("CPU by thread during the drain (cores):%n");
    used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> out.printf("  %.2f  %s%n", e.getValue() / 1e9 / seconds, e.getKey()));
    out.printf(
        "  %.2f  no Java thread: ONNX Runtime's own threads, GC, JIT%n",
        (processNanos - java) / 1e9 / seconds);
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
            Duration.ofSeconds(10));
    ExperienceWorker worker = new ExperienceWorker(options, KafkaSettings.from(client), line -> {});
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    List<long[]> seen = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = partitions(consumer, Topics.LATENTS.name());
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      CompletableFuture<ExperienceWorker.Summary> run =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return worker.run();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              });
      long warmEnd = System.currentTimeMillis() + 3_000;
      long end = warmEnd + latencySeconds * 1000L;
      while (System.currentTimeMillis() < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          long now = System.currentTimeMillis();
          LatentStep latent =
              Topics.LATENTS.valueSerde().deserializer().deserialize("", record.value());
          long event = latent.getEventTime().toEpochMilli();
          if (event >= warmEnd && latent.getEpisodeId().startsWith(workerId)) {
            seen.add(new long[] {now - event, latent.getEncodeTime().toEpochMilli() - event});
          }
        }
      }
      worker.stop();
      run.join();
    }
    long[] total = seen.stream().mapToLong(s -> s[0]).sorted().toArray();
    long[] toEmit = seen.stream().mapToLong(s -> s[1]).sorted().toArray();
    out.printf(
        "RESULT latency at %d frames/s offered (%d environments × 50 fps), %,d latents over %d s: event time → committed p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (goal p99 ≤ 150 ms); event time → emitted p50 %d ms, p99 %d ms%n",
        latencyEnvs * 50,
        latencyEnvs,
        total.length,
        latencySeconds,
        quantile(total, 0.5),
        quantile(total, 0.9),
        quantile(total, 0.99),
        total.length == 0 ? -1 : total[total.length - 1],
        quantile(toEmit, 0.5),
        quantile(toEmit, 0.99));
    streamsMetrics(out, encoder);
  }

  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
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

  /** The broker's log and the encoder's state: some hundreds of MB per run. */
  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Distinct observations of a brownian drive on seed 3. */
  private static List<byte[]> carRacingFrames(int n) {
    List<byte[]> frames = new ArrayList<>();
    try (Environment env = Environments.make(CarRacing.ID, true, false)) {
      var policy = new BrownianPolicy(env.actionSpec(), 3);
      Pixels observation = env.reset(3).observation();
      while (frames.size() < n) {
        var step = env.step(policy.act(observation));
        observation = step.observation();
        frames.add(observation.data());
        if (step.done()) {
          observation = env.reset(frames.size()).observation();
        }
      }
    }
    return frames;
  }
}
