package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperienceWorkerIntegrationTest {

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startBroker() {
    // Embedded whatever the environment: only it can be stopped and started on the same data.
    cluster = KafkaTestCluster.embedded(dataDir);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      new TopicAdmin(admin, Duration.ofSeconds(30)).createMissing(Optional.empty());
    }
  }

  @AfterEach
  void stopBroker() {
    cluster.close();
  }

  @Test
  void shouldDeliverEveryStepExactlyOnceAcrossABrokerRestart() throws Exception {
    // 2 environments at 100 steps/s each: 4 episodes of 150 steps take about 3 s.
    ExperienceWorker worker =
        new ExperienceWorker(options(OptionalLong.of(4), 150, 100), kafka(), said::add);
    CompletableFuture<ExperienceWorker.Summary> run = runAsync(worker);

    awaitCondition(() -> worker.steps() >= 100, "100 steps published");
    cluster.stopBroker();
    // The environments go on stepping; what they publish now waits in the producer.
    awaitCondition(() -> worker.backlog() >= 20, "steps in flight while the broker is down");
    long inFlight = worker.backlog();
    assertThat(run).as("the worker is still running while the broker is down").isNotDone();
    cluster.startBroker();
    ExperienceWorker.Summary summary = run.get(60, TimeUnit.SECONDS);
    assertThat(inFlight).isGreaterThanOrEqualTo(20);

    Map<String, List<ExperienceStep>> episodes = readEpisodes(summary.steps());
    assertThat(summary.episodes()).isEqualTo(4);
    assertThat(episodes).hasSize(4);
    for (List<ExperienceStep> steps : episodes.values()) {
      assertContiguousAndEnded(steps);
      assertThat(steps.get(steps.size() - 1).getStep()).isLessThan(150);
    }
    assertThat(episodes.values().stream().mapToInt(List::size).sum())
        .isEqualTo((int) summary.steps());
  }

  @Test
  void shouldEndRunningEpisodesAsTruncatedWhenStopped() throws Exception {
    ExperienceWorker worker =
        new ExperienceWorker(options(OptionalLong.empty(), 1000, 100), kafka(), said::add);
    CompletableFuture<ExperienceWorker.Summary> run = runAsync(worker);

    awaitCondition(() -> worker.steps() >= 100, "100 steps published");
    worker.stop();
    ExperienceWorker.Summary summary = run.get(30, TimeUnit.SECONDS);

    Map<String, List<ExperienceStep>> episodes = readEpisodes(summary.steps());
    assertThat(episodes).hasSize(2);
    for (List<ExperienceStep> steps : episodes.values()) {
      assertContiguousAndEnded(steps);
      ExperienceStep last = steps.get(steps.size() - 1);
      assertThat(last.getTruncated()).isTrue();
      assertThat(last.getFrame().getPixels().remaining()).isEqualTo(96 * 96 * 3);
      assertThat(last.getPolicyId()).isEqualTo("brownian");
      assertThat(last.getWorkerId()).isEqualTo("test-worker");
      assertThat(last.getEpisodeId()).startsWith("test-worker-");
    }
  }

  @Test
  void shouldFallBackToBrownianAndSaySoWithoutAController() throws Exception {
    WorkerSettings options =
        new WorkerSettings(
            "CarRacing-v3",
            1,
            WorkerSettings.Policy.CONTROLLER,
            OptionalLong.of(1),
            OptionalDouble.empty(),
            20,
            OptionalLong.of(5),
            "test-worker",
            "default",
            Exploration.NONE,
            Duration.ofSeconds(10));
    ExperienceWorker.Summary summary = new ExperienceWorker(options, kafka(), said::add).run();

    List<ExperienceStep> steps = readEpisodes(summary.steps()).values().iterator().next();
    assertThat(steps).hasSize(20).allMatch(s -> s.getPolicyId().equals("brownian"));
    assertThat(said)
        .anyMatch(
            line -> line.contains("no controller published yet") && line.contains("brownian"));
  }

  @Test
  void shouldActWithThePublishedControllerInItsWorldModel() throws Exception {
    byte[] checkpointModel =
        io.worldstream.models.mdn.MdnGraphs.step(
            io.worldstream.models.RandomWeights.mdn(1), "test");
    String vae =
        io.worldstream.models.ModelVersion.of(io.worldstream.models.vae.DefaultVae.encoder());
    var checkpoint =
        io.worldstream.records.Checkpoint.newBuilder()
            .setLineage("default")
            .setVersion(1)
            .setParentVersion(null)
            .setVaeVersion(vae)
            .setStepsTrained(0)
            .setEpisodesTrained(0)
            .setTrainLoss(0)
            .setHeldOutLoss(null)
            .setCreatedTime(java.time.Instant.now())
            .setSha256(io.worldstream.models.ModelVersion.of(checkpointModel))
            .setOnnxModel(java.nio.ByteBuffer.wrap(checkpointModel))
            .build();
    // Full gas, no steering or brake, whatever the features: tanh(0·x + b).
    var controller =
        io.worldstream.records.ControllerUpdate.newBuilder()
            .setLineage("default")
            .setVersion(3)
            .setCheckpointVersion(1)
            .setVaeVersion(vae)
            .setInputSize(288)
            .setOutputSize(3)
            .setWeights(new ArrayList<>(java.util.Collections.nCopies(3 * 288, 0f)))
            .setBias(List.of(0f, 5f, -5f))
            .setDreamReturn(1)
            .setGeneration(0)
            .setCreatedTime(java.time.Instant.now())
            .build();
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
            Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Topics.MODEL_MAX_MESSAGE_BYTES),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  Topics.CHECKPOINTS.name(),
                  Topics.checkpointKey("default", checkpoint.getVersion()),
                  Topics.CHECKPOINTS.valueSerde().serializer().serialize("", checkpoint)))
          .get();
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  Topics.CONTROLLERS.name(),
                  "default",
                  Topics.CONTROLLERS.valueSerde().serializer().serialize("", controller)))
          .get();
    }
    WorkerSettings options =
        new WorkerSettings(
            "CarRacing-v3",
            1,
            WorkerSettings.Policy.CONTROLLER,
            OptionalLong.of(2),
            OptionalDouble.empty(),
            20,
            OptionalLong.of(5),
            "test-worker",
            "default",
            Exploration.NONE,
            Duration.ofSeconds(10));
    ExperienceWorker worker = new ExperienceWorker(options, kafka(), said::add);
    ExperienceWorker.Summary summary = worker.run();

    List<ExperienceStep> steps = new ArrayList<>();
    readEpisodes(summary.steps()).values().forEach(steps::addAll);
    List<ExperienceStep> byController =
        steps.stream().filter(s -> s.getPolicyId().equals("controller")).toList();
    assertThat(byController)
        .as("steps chosen by the controller, after the feed caught up")
        .isNotEmpty();
    assertThat(byController)
        .allSatisfy(
            s -> {
              assertThat(s.getPolicyVersion()).isEqualTo(3);
              assertThat(s.getAction().get(1)).isGreaterThan(0.99f);
              assertThat(s.getAction().get(2)).isZero();
            });
    assertThat(said).anyMatch(line -> line.contains("acting with controller v3"));
  }

  private static void assertContiguousAndEnded(List<ExperienceStep> steps) {
    for (int t = 0; t < steps.size(); t++) {
      assertThat(steps.get(t).getStep())
          .as("step %d of %s", t, steps.get(0).getEpisodeId())
          .isEqualTo(t);
      boolean last = t == steps.size() - 1;
      assertThat(steps.get(t).getTerminated() || steps.get(t).getTruncated()).isEqualTo(last);
    }
    assertThat(steps)
        .extracting(ExperienceStep::getEnvSeed)
        .containsOnly(steps.get(0).getEnvSeed());
  }

  private WorkerSettings options(OptionalLong episodes, int maxSteps, double fps) {
    return new WorkerSettings(
        "CarRacing-v3",
        2,
        WorkerSettings.Policy.BROWNIAN,
        episodes,
        OptionalDouble.of(fps),
        maxSteps,
        OptionalLong.of(7),
        "test-worker",
        "default",
        Exploration.NONE,
        Duration.ofMillis(500));
  }

  private KafkaSettings kafka() {
    return KafkaSettings.at(cluster.bootstrapServers());
  }

  private static CompletableFuture<ExperienceWorker.Summary> runAsync(ExperienceWorker worker) {
    CompletableFuture<ExperienceWorker.Summary> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(worker.run());
              } catch (Throwable e) {
                future.completeExceptionally(e);
              }
            });
    thread.start();
    return future;
  }

  /** Every record of wm.experience, by episode, in step order as read (duplicates kept). */
  private Map<String, List<ExperienceStep>> readEpisodes(long expected) {
    Map<String, List<ExperienceStep>> episodes = new TreeMap<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                8 * 1024 * 1024),
            Topics.EXPERIENCE.keySerde().deserializer(),
            Topics.EXPERIENCE.valueSerde().deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < Topics.EXPERIENCE.partitions(); p++) {
        partitions.add(new TopicPartition(Topics.EXPERIENCE.name(), p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long read = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (var record : records) {
          assertThat(record.key()).isEqualTo(record.value().getEpisodeId());
          episodes.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
          read++;
        }
        if (read >= expected && records.isEmpty()) {
          break;
        }
      }
    }
    return episodes;
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 60 s for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
