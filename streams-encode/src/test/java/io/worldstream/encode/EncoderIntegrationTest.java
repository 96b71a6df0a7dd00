package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.Exploration;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder against a real broker, fed by real CarRacing workers. */
class EncoderIntegrationTest {

  private static ModelInService<VaeEncoder> vae;

  @TempDir Path dataDir;
  private KafkaTestCluster cluster;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void loadVae() {
    vae = VaeEncoder.inService(DefaultVae.encoder(), "the default VAE", 1);
  }

  @AfterAll
  static void closeVae() {
    vae.close();
  }

  @BeforeEach
  void startBroker() {
    cluster = KafkaTestCluster.start(dataDir.resolve("kafka"));
    try (Admin admin = Admin.create(client())) {
      new TopicAdmin(admin, Duration.ofSeconds(30)).createMissing(Optional.empty());
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    cluster.close();
  }

  /** A killed member's partitions move after 6 s (the broker's minimum), not Kafka's 45 s. */
  static Map<String, Object> fastFailover() {
    return Map.of(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
  }

  @Test
  void shouldEncodeEveryFrameOfRealWorkersExactlyOnceAndDeadLetterTheBadOnes() throws Exception {
    Encoder encoder = startEncoder("encode-once", dataDir.resolve("state"));
    CompletableFuture<ExperienceWorker.Summary> feeding = feed(20, 500);
    List<byte[]> bad = List.of(utf8("not avro"), new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    try (var producer =
        new KafkaProducer<>(client(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : bad) {
        producer.send(new ProducerRecord<>(Topics.EXPERIENCE.name(), utf8("bad"), value)).get();
      }
    }
    long frames = feeding.get(5, TimeUnit.MINUTES).steps();

    assertThat(frames).isEqualTo(10_000);
    assertExactlyOneLatentPerFrame(frames);
    List<ConsumerRecord<byte[], byte[]>> letters = readCommitted(Topics.EXPERIENCE_DLQ.name(), 2);
    assertThat(letters).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(bad);
    assertThat(letters)
        .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
        .containsExactlyInAnyOrder("BAD_MAGIC", "TRUNCATED");
    assertThat(encoder.metrics().rejectedTotal()).isEqualTo(2);

    // The same figures where a Kafka user watches them: JMX.
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> found =
        jmx.queryNames(new ObjectName("worldstream:type=encoder,instance=encode-once-*"), null);
    assertThat(found).hasSize(1);
    ObjectName exposed = found.iterator().next();
    assertThat(jmx.getAttribute(exposed, "latents-total")).isEqualTo((double) frames);
    assertThat(jmx.getAttribute(exposed, "frames-in-total")).isEqualTo((double) frames);
    assertThat(jmx.getAttribute(exposed, "rejected-total")).isEqualTo(2.0);
    assertThat(jmx.getAttribute(exposed, "rejected-bad-magic-total")).isEqualTo(1.0);
    assertThat((Double) jmx.getAttribute(exposed, "latency-max")).isPositive();
  }

  @Test
  void shouldEncodeEveryFrameExactlyOnceWhenTheEncoderIsKilledMidStream() throws Exception {
    Path state = dataDir.resolve("state");
    Path log = dataDir.resolve("encoder.log");
    Process first = startEncoderProcess("encode-killed", state, log);
    CompletableFuture<ExperienceWorker.Summary> feeding = feed(20, 500);

    LongSupplier encoded = latentCounter();
    awaitAtLeast(encoded, 3_000, Duration.ofMinutes(3));
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long atKill = encoded.getAsLong();
    assertThat(atKill).as("killed in the middle").isLessThan(10_000);

    Process second = startEncoderProcess("encode-killed", state, log);
    long frames = feeding.get(5, TimeUnit.MINUTES).steps();
    try {
      assertThat(frames).isEqualTo(10_000);
      assertExactlyOneLatentPerFrame(frames);
      assertThat(Files.readString(log))
          .contains("were left waiting by an earlier run; reading them again");
    } finally {
      second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      System.out.println("encoder killed after " + atKill + " latents; its log:");
      System.out.println(Files.readString(log));
    }
  }

  @Test
  void shouldShareTheWorkBetweenTwoInstancesOfOneApplication() throws Exception {
    Encoder one = startEncoder("encode-shared", dataDir.resolve("state-1"));
    Encoder two = startEncoder("encode-shared", dataDir.resolve("state-2"));
    // The group has settled when both have partitions; frames fed before could all go to one.
    awaitAtLeast(() -> Math.min(one.activeTasks(), two.activeTasks()), 1, Duration.ofSeconds(60));
    // Episodes land on partitions by their random ids: 8 leave one instance's two partitions
    // without any about once in 128 runs, 32 once in two billion.
    long frames = feed(32, 125).get(5, TimeUnit.MINUTES).steps();

    assertExactlyOneLatentPerFrame(frames);
    assertThat(one.metrics().latentsOut()).isPositive();
    assertThat(two.metrics().latentsOut()).isPositive();
    assertThat(one.metrics().latentsOut() + two.metrics().latentsOut()).isEqualTo(frames);
  }

  @Test
  void shouldReplaceAFailedStreamThreadAndStillEncodeEveryFrameOnce() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    Encoder encoder = startEncoder("encode-replaced", refusing(batch -> batch == 20), said::add);
    long frames = feed(4, 500).get(5, TimeUnit.MINUTES).steps();

    assertExactlyOneLatentPerFrame(frames);
    assertThat(encoder.failure()).isEmpty();
    assertThat(said).filteredOn(l -> l.contains("replaced a failed stream thread")).hasSize(1);
  }

  @Test
  void shouldStopWithTheCauseWhenStreamThreadsKeepFailing() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    Encoder encoder = startEncoder("encode-failing", refusing(batch -> batch >= 5), said::add);
    feed(1, 400);

    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (encoder.failure().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(encoder.failure())
        .hasValueSatisfying(
            e -> assertThat(e).hasRootCauseInstanceOf(RejectedExecutionException.class));
    assertThat(said)
        .filteredOn(l -> l.contains("replaced a failed stream thread"))
        .hasSize(ThreadReplacements.DEFAULT_MOST);
  }

  /**
   * The VAE's executor, refusing the batches {@code refused} picks (counted from 1), so that the
   * stream thread handing them over fails.
   */
  private static ExecutorService refusing(IntPredicate refused) {
    AtomicInteger batches = new AtomicInteger();
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>()) {
      @Override
      public void execute(Runnable command) {
        if (refused.test(batches.incrementAndGet())) {
          throw new RejectedExecutionException("batch " + batches.get() + " refused by the test");
        }
        super.execute(command);
      }
    };
  }

  private Encoder startEncoder(
      String applicationId, ExecutorService encoding, Consumer<String> said)
      throws InterruptedException {
    // A failed thread was a static member of the group: its partitions move once its session
    // times out, which fastFailover shortens.
    Map<String, Object> client = new HashMap<>(client());
    client.putAll(fastFailover());
    EncoderSettings settings =
        EncoderSettings.defaults(dataDir.resolve(applicationId)).withApplicationId(applicationId);
    Encoder encoder = new Encoder(KafkaSettings.from(client), settings, vae, encoding, said);
    running.add(encoder);
    encoder.start();
    return encoder;
  }

  /**
   * An encoder with Kafka's own session timeout: no member of these tests is killed, and on a
   * loaded machine a 6 s timeout can drop a live member from the group, whose partitions then stay
   * with the other instance.
   */
  private Encoder startEncoder(String applicationId, Path state) throws InterruptedException {
    EncoderSettings settings = EncoderSettings.defaults(state).withApplicationId(applicationId);
    Encoder encoder = new Encoder(KafkaSettings.from(client()), settings, vae, System.out::println);
    running.add(encoder);
    encoder.start();
    return encoder;
  }

  private Process startEncoderProcess(String applicationId, Path state, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx1g",
            "-Djava.awt.headless=true",
            EncoderProcess.class.getName(),
            cluster.bootstrapServers(),
            applicationId,
            state.toString(),
            // Big, slow batches: whenever the kill comes, frames are waiting in the buffer.
            "64",
            "2000");
    // The classpath goes in the environment: ONNX Runtime crashes on command lines over ~4 KB.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    running.add(() -> process.destroyForcibly().waitFor(30, TimeUnit.SECONDS));
    return process;
  }

  /** Real CarRacing workers, 2 environments, as fast as they go. */
  private CompletableFuture<ExperienceWorker.Summary> feed(int episodes, int steps) {
    WorkerSettings options =
        new WorkerSettings(
            "CarRacing-v3",
            2,
            WorkerSettings.Policy.BROWNIAN,
            OptionalLong.of(episodes),
            OptionalDouble.empty(),
            steps,
            OptionalLong.of(100),
            "test-worker",
            "default",
            Exploration.NONE,
            Duration.ofSeconds(10));
    ExperienceWorker worker =
        new ExperienceWorker(options, KafkaSettings.from(client()), line -> {});
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return worker.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private void assertExactlyOneLatentPerFrame(long frames) throws InterruptedException {
    LongSupplier counter = latentCounter();
    awaitAtLeast(counter, frames, Duration.ofMinutes(3));
    Map<String, TreeMap<Integer, Integer>> seen = new HashMap<>();
    long total = 0;
    for (ConsumerRecord<byte[], byte[]> record : readCommitted(Topics.LATENTS.name(), frames)) {
      LatentStep latent =
          Topics.LATENTS.valueSerde().deserializer().deserialize("", record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(latent.getEpisodeId());
      seen.computeIfAbsent(latent.getEpisodeId(), k -> new TreeMap<>())
          .merge(latent.getStep(), 1, Integer::sum);
      total++;
    }
    assertThat(total).as("latents").isEqualTo(frames);
    for (TreeMap<Integer, Integer> steps : seen.values()) {
      assertThat(steps.values()).as("one latent per step").allMatch(n -> n == 1);
      assertThat(steps.firstKey()).isZero();
      assertThat(steps.lastKey()).isEqualTo(steps.size() - 1);
    }
  }

  /** Counts committed latents as they arrive. */
  private LongSupplier latentCounter() {
    return () -> {
      try {
        return readCommitted(Topics.LATENTS.name(), -1).size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    };
  }

  private static void awaitAtLeast(LongSupplier count, long target, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      last = count.getAsLong();
      if (last >= target) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("only " + last + " of " + target + " within " + timeout);
  }

  /**
   * Every committed record of a topic, read until {@code expected} arrived (or, with -1, until the
   * end offsets); then 2 s more, so a duplicate would show.
   */
  private List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, long expected)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>(client());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      if (expected < 0) {
        var end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
      }
      long quietUntil = Long.MAX_VALUE;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < Math.min(deadline, quietUntil)) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        if (records.size() >= expected && quietUntil == Long.MAX_VALUE) {
          quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
      }
    }
    return records;
  }

  private Map<String, Object> client() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
