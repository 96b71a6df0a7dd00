package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.DeadLetterHeaders;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner job in a Flink MiniCluster against a real broker. */
class LearnerIntegrationTest {

  private static final String VAE = "f".repeat(64);

  @TempDir Path dir;
  private KafkaTestCluster cluster;
  private KafkaSettings kafka;

  @BeforeEach
  void startBroker() {
    cluster = KafkaTestCluster.start(dir.resolve("kafka"));
    kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
  }

  @AfterEach
  void stopBroker() {
    cluster.close();
  }

  private TrainSettings settings() {
    return new TrainSettings(
        LearnerSettings.builder()
            .batchSize(8)
            .replayCapacity(1_000)
            .heldOutPercent(20)
            .heldOutCapacity(100)
            .checkpointEvery(30)
            .checkpointInterval(Duration.ofMinutes(10))
            .seed(1)
            .build(),
        8,
        4,
        4,
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        dir.resolve("train"),
        TrainSettings.DEFAULT_APPLICATION_ID,
        Duration.ofSeconds(2),
        java.util.Optional.empty());
  }

  /** Episodes of a latent random walk that the actions drive: something an MDN-RNN can learn. */
  private void publishEpisodes(int from, int count, int steps) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(),
            Topics.LATENTS.keySerde().serializer(),
            Topics.LATENTS.valueSerde().serializer())) {
      for (int e = from; e < from + count; e++) {
        Random random = new Random(e);
        String episode = "episode-" + e;
        float[] z = new float[MdnSpec.LATENT];
        for (int d = 0; d < z.length; d++) {
          z[d] = (float) random.nextGaussian();
        }
        for (LatentStep latent : LatentSteps.randomWalk(episode, z, steps, random, VAE)) {
          producer.send(new ProducerRecord<>(Topics.LATENTS.name(), episode, latent));
        }
      }
    }
  }

  private List<Checkpoint> awaitCheckpoints(int atLeast, Duration timeout) {
    List<Checkpoint> found = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.CHECKPOINTS.name()),
            TopicReader.From.BEGINNING,
            Topics.CHECKPOINTS.keySerde().deserializer(),
            Topics.CHECKPOINTS.valueSerde().deserializer())) {
      while (found.size() < atLeast && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(500)).forEach(r -> found.add(r.value()));
      }
    }
    return found;
  }

  @Test
  void shouldFindTheNewestVersionOfEveryLineagePublishedPassingOverGarbage() throws Exception {
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      long[][] versions = {{1, 1}, {1, 2}, {2, 1}, {1, 5}, {1, 3}};
      for (long[] v : versions) {
        PublishedModel model = new PublishedModel();
        model.lineage = "vae-" + v[0];
        model.version = v[1];
        model.vaeVersion = "vae-" + v[0];
        model.train = new PublishedModel.Losses(1, 0, 0);
        model.onnx = new byte[] {1, 2, 3};
        model.sha256 = ModelVersion.of(model.onnx);
        producer.send(new Publishing.Checkpoints().serialize(model, null, null));
      }
      producer.send(
          new ProducerRecord<>(
              Topics.CHECKPOINTS.name(),
              "vae-9".getBytes(StandardCharsets.UTF_8),
              "not a checkpoint".getBytes(StandardCharsets.UTF_8)));
    }

    assertThat(LearnerEnds.publishedVersions(kafka, Duration.ofSeconds(30)))
        .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("vae-1", 5L, "vae-2", 1L));
  }

  @Test
  void shouldPublishVersionedCheckpointsWithFallingHeldOutLossAndResumeAfterACancel()
      throws Exception {
    publishEpisodes(0, 40, 60);
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              Topics.LATENTS.name(),
              "bad".getBytes(StandardCharsets.UTF_8),
              "not a latent".getBytes(StandardCharsets.UTF_8)));
    }

    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    LearnerService first = new LearnerService(kafka, settings(), said::add);
    first.start();
    List<Checkpoint> published;
    try {
      published = awaitCheckpoints(4, Duration.ofMinutes(3));
    } finally {
      first.stop(Duration.ofSeconds(30));
    }

    assertThat(published.size()).isGreaterThanOrEqualTo(4);
    for (int i = 0; i < published.size(); i++) {
      Checkpoint c = published.get(i);
      assertThat(c.getVersion()).isEqualTo(i + 1);
      assertThat(c.getParentVersion()).isEqualTo(i == 0 ? null : (long) i);
      assertThat(c.getLineage()).isEqualTo(Learner.lineage(VAE));
      assertThat(c.getHeldOutLoss()).as("held-out loss of v%d", i + 1).isNotNull();
      assertThat(c.getHeldOutLossParts()).as("its parts").isNotNull();
      assertThat(c.getGradientSteps())
          .as("gradient steps of v%d", i + 1)
          .isGreaterThan(i == 0 ? 0 : published.get(i - 1).getGradientSteps());
    }
    Checkpoint last = published.get(published.size() - 1);
    System.out.printf(
        "held-out loss: %s%n",
        published.stream()
            .map(c -> String.format("v%d %.3f", c.getVersion(), c.getHeldOutLoss()))
            .toList());
    assertThat(last.getHeldOutLoss()).isLessThan(published.get(0).getHeldOutLoss());
    try (MdnRnnStep model =
        MdnRnnStep.load(ModelVersion.verified(last.getOnnxModel(), last.getSha256()), 1)) {
      var out =
          model.step(
              new float[MdnSpec.LATENT],
              new float[MdnSpec.ACTIONS],
              new float[MdnSpec.HIDDEN],
              new float[MdnSpec.HIDDEN],
              1);
      assertThat(out.h()).hasSize(MdnSpec.HIDDEN);
      assertThat(Float.isFinite(out.reward()[0])).as("predicted reward").isTrue();
    }

    // The garbage record went to the dead-letter topic with its reason, not into training.
    try (var reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.LATENTS_DLQ.name()),
            TopicReader.From.BEGINNING,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.isEmpty() && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(500)).forEach(letters::add);
      }
      assertThat(letters).hasSize(1);
      assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8))
          .isEqualTo("not a latent");
      assertThat(
              new String(
                  letters.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("BAD_MAGIC");
    }

    // Start again on the same state: versions continue, none repeated, none skipped.
    long before = awaitCheckpoints(Integer.MAX_VALUE, Duration.ofSeconds(3)).size();
    publishEpisodes(100, 10, 60);
    LearnerService second = new LearnerService(kafka, settings(), said::add);
    second.start();
    List<Checkpoint> all;
    try {
      all = awaitCheckpoints((int) before + 2, Duration.ofMinutes(3));
    } finally {
      second.stop(Duration.ofSeconds(30));
    }
    System.out.println("after the restart: " + said + ", " + all.size() + " checkpoints");
    assertThat(second.failure()).isEmpty();
    assertThat(said).anyMatch(line -> line.contains("resumed from"));
    assertThat(said)
        .anyMatch(line -> line.startsWith("train: ") && line.contains(Learner.lineage(VAE) + " v"));
    assertThat(all.size()).isGreaterThanOrEqualTo((int) before + 2);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).getVersion()).as("checkpoint %d", i).isEqualTo(i + 1);
    }
  }

  private static void awaitSaid(List<String> said, String start, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (said.stream().noneMatch(l -> l.startsWith(start)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static long count(String metric) {
    return ProbeReporter.find(metric)
        .map(m -> ((org.apache.flink.metrics.Counter) m).getCount())
        .orElseThrow(() -> new AssertionError("no metric " + metric));
  }

  private static Object gauge(String metric) {
    return ProbeReporter.find(metric)
        .map(m -> ((org.apache.flink.metrics.Gauge<?>) m).getValue())
        .orElseThrow(() -> new AssertionError("no metric " + metric));
  }

  /**
   * The same job submitted to a Flink cluster through its REST address: here a MiniCluster with a
   * REST endpoint in this JVM (its classpath holds Worldstream's classes, as a cluster's lib/
   * must). The learner's figures reach the cluster's metric reporters. Stopping the service cancels
   * the job on the cluster, and a second submission resumes.
   */
  @Test
  void shouldRunOnAFlinkClusterThroughItsRestAddress() throws Exception {
    publishEpisodes(0, 30, 60);
    org.apache.flink.configuration.Configuration conf =
        new org.apache.flink.configuration.Configuration();
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.port", "0");
    conf.setString("metrics.reporter.probe.factory.class", ProbeReporter.class.getName());
    try (var cluster =
        new org.apache.flink.runtime.minicluster.MiniCluster(
            new org.apache.flink.runtime.minicluster.MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build())) {
      cluster.start();
      java.net.URI rest = cluster.getRestAddress().get();
      TrainSettings onCluster = settings().onCluster(rest.getHost() + ":" + rest.getPort());
      List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();

      LearnerService first = new LearnerService(kafka, onCluster, said::add);
      first.start();
      List<Checkpoint> published;
      try {
        awaitCheckpoints(1, Duration.ofMinutes(3));
        long stepsAtFirst = count("learner.gradientSteps");
        published = awaitCheckpoints(2, Duration.ofMinutes(3));
        awaitSaid(said, "train: job RUNNING on the cluster", Duration.ofSeconds(30));
        // The learner's figures are Flink metrics a reporter sees, and they move.
        assertThat(count("learner.gradientSteps")).isGreaterThan(stepsAtFirst);
        assertThat(count("learner.sequences")).isPositive();
        assertThat((long) gauge("learner.newestVersion")).isGreaterThanOrEqualTo(2L);
        assertThat((long) gauge("learner.replayFill")).isPositive();
        assertThat((double) gauge("learner.trainLoss")).isFinite();
        assertThat(ProbeReporter.find("learner.gradientStepsPerSecond")).isPresent();
      } finally {
        first.stop(Duration.ofSeconds(30));
      }
      assertThat(published).extracting(Checkpoint::getVersion).startsWith(1L, 2L);
      assertThat(said).anyMatch(l -> l.contains("on the cluster at " + rest.getHost()));
      assertThat(said).anyMatch(l -> l.startsWith("train: job RUNNING on the cluster"));
      assertThat(cluster.listJobs().get())
          .as("the job was cancelled on the cluster")
          .allMatch(job -> job.getJobState() == org.apache.flink.api.common.JobStatus.CANCELED);

      long before = awaitCheckpoints(Integer.MAX_VALUE, Duration.ofSeconds(3)).size();
      publishEpisodes(100, 10, 60);
      LearnerService second = new LearnerService(kafka, onCluster, said::add);
      second.start();
      List<Checkpoint> all;
      try {
        all = awaitCheckpoints((int) before + 1, Duration.ofMinutes(3));
      } finally {
        second.stop(Duration.ofSeconds(30));
      }
      assertThat(said).anyMatch(l -> l.contains("resumed from"));
      assertThat(all)
          .extracting(Checkpoint::getVersion)
          .doesNotHaveDuplicates()
          .contains(before + 1);
    }
  }
}
