package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ExperienceStep;
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
  private KafkaTestCluster cluster;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startBroker() {
    cluster = KafkaTestCluster.start(dataDir);
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
    assumeTrue(
        cluster.canRestart(), "this broker cannot be restarted on its own data (Testcontainers)");
    // 2 environments at 100 steps/s each: 4 episodes of 150 steps take about 3 s.
    ExperienceWorker worker =
        new ExperienceWorker(options(OptionalLong.of(4), 150, 100), kafka(), said::add);
    CompletableFuture<ExperienceWorker.Summary> run = runAsync(worker);

    Thread.sleep(1_000);
    assertThat(run).as("the worker is still running when the broker goes away").isNotDone();
    cluster.restart();
    ExperienceWorker.Summary summary = run.get(60, TimeUnit.SECONDS);

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

    Thread.sleep(1_500);
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
    WorkerOptions options =
        new WorkerOptions(
            "CarRacing-v3",
            1,
            "controller",
            OptionalLong.of(1),
            OptionalDouble.empty(),
            20,
            OptionalLong.of(5),
            "test-worker",
            "default",
            Duration.ofSeconds(10));
    ExperienceWorker.Summary summary = new ExperienceWorker(options, kafka(), said::add).run();

    List<ExperienceStep> steps = readEpisodes(summary.steps()).values().iterator().next();
    assertThat(steps).hasSize(20).allMatch(s -> s.getPolicyId().equals("brownian"));
    assertThat(said)
        .anyMatch(
            line -> line.contains("no controller published yet") && line.contains("brownian"));
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

  private WorkerOptions options(OptionalLong episodes, int maxSteps, double fps) {
    return new WorkerOptions(
        "CarRacing-v3",
        2,
        "brownian",
        episodes,
        OptionalDouble.of(fps),
        maxSteps,
        OptionalLong.of(7),
        "test-worker",
        "default",
        Duration.ofMillis(500));
  }

  private Map<String, Object> kafka() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
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
}
