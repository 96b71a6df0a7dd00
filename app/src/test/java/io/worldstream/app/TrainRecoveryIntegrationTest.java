package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worldstream train} killed (SIGKILL, no chance to cancel or clean up) in the middle of
 * training, then started again on the same data directory: it resumes from its last Flink
 * checkpoint, and the versions a read_committed reader sees run 1, 2, 3, … with none repeated or
 * skipped, each the child of the one before.
 */
class TrainRecoveryIntegrationTest {

  private static final int EPISODES = 30;
  private static final int STEPS = 200;

  @TempDir Path dir;
  private Process train;
  private Path log;

  @AfterEach
  void stop() throws Exception {
    if (train != null && train.isAlive()) {
      train.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void resumesAfterAKillWithVersionsContinuing() throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(dir.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      kafka.createMissingTopics();
      writeLatents(kafka);

      start(kafka, "first");
      await(() -> checkpoints(kafka).size() >= 3, "three checkpoints");
      // Let a Flink checkpoint complete after them, then kill mid-training.
      java.nio.file.attribute.FileTime third = java.nio.file.attribute.FileTime.from(Instant.now());
      await(() -> newestFlinkCheckpoint().compareTo(third) > 0, "a Flink checkpoint after them");
      train.destroyForcibly();
      assertThat(train.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long beforeKill = checkpoints(kafka).size();

      start(kafka, "second");
      await(() -> Files.readString(log).contains("resumed from"), "the resumed job");
      await(() -> checkpoints(kafka).size() > beforeKill, "a version after the kill");
      // Until every owed step is trained and published: the learner says, twice running, that
      // it took no gradient step and has no latent left to read (its tail is published within
      // the checkpoint interval, shorter than one progress interval).
      await(
          () -> idleProgressLines(Files.readString(log)) >= 2,
          "two progress lines with no gradient step and no lag");
      train.destroy();
      assertThat(train.waitFor(60, TimeUnit.SECONDS)).isTrue();

      List<Checkpoint> all = checkpoints(kafka);
      assertThat(all.size()).as("versions after the kill").isGreaterThan((int) beforeKill);
      for (int i = 0; i < all.size(); i++) {
        Checkpoint c = all.get(i);
        assertThat(c.getVersion()).as("version at position %d", i).isEqualTo(i + 1L);
        assertThat(c.getParentVersion()).isEqualTo(i == 0 ? null : (long) i);
        if (i > 0) {
          assertThat(c.getGradientSteps()).isGreaterThan(all.get(i - 1).getGradientSteps());
        }
      }
      System.out.printf(
          "%d versions before the kill, %d in all; gradient steps %s%n",
          beforeKill, all.size(), all.stream().map(Checkpoint::getGradientSteps).toList());
    }
  }

  private void start(KafkaSettings kafka, String name) throws IOException {
    log = dir.resolve("train-" + name + ".log");
    ProcessBuilder builder =
        ChildProcess.worldstream(
            "1g",
            List.of(
                "train",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--checkpoint-every",
                "25",
                "--checkpoint-interval",
                "5s",
                "--flink-checkpoint-interval",
                "1s",
                "--progress-interval",
                "5s"));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    train = builder.start();
  }

  /** When the newest completed Flink checkpoint (its {@code _metadata}) was written. */
  private java.nio.file.attribute.FileTime newestFlinkCheckpoint() throws IOException {
    java.nio.file.attribute.FileTime newest = java.nio.file.attribute.FileTime.fromMillis(0);
    try (var files = Files.walk(dir.resolve("data"))) {
      for (Path file : files.filter(f -> f.endsWith("_metadata")).toList()) {
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(file);
        newest = written.compareTo(newest) > 0 ? written : newest;
      }
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
      // A checkpoint removed while we looked (Flink keeps the newest two): look again later.
    }
    return newest;
  }

  /** How many of the log's last progress lines say the learner is idle and caught up. */
  private static int idleProgressLines(String log) {
    List<String> lines = log.lines().filter(l -> l.contains("train: ")).toList();
    int idle = 0;
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (!line.contains(" 0.0 gradient steps/s") || !line.contains("lag 0 latents")) {
        break;
      }
      idle++;
    }
    return idle;
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private void await(Check condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!condition.holds()) {
      if (!train.isAlive()) {
        throw new AssertionError(
            "train exited while waiting for " + what + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ":\n" + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  /** Random-walk latents of whole episodes, the last step of each truncated. */
  private static void writeLatents(KafkaSettings kafka) {
    Random random = new Random(9);
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(),
            Topics.LATENTS.keySerde().serializer(),
            Topics.LATENTS.valueSerde().serializer())) {
      for (int e = 0; e < EPISODES; e++) {
        String episode = "walk-" + e;
        float[] start = new float[MdnSpec.LATENT];
        for (LatentStep latent : LatentSteps.randomWalk(episode, start, STEPS, random, "walk")) {
          producer.send(new ProducerRecord<>(Topics.LATENTS.name(), episode, latent));
        }
      }
    }
  }

  /** The committed checkpoints, in log order. */
  private static List<Checkpoint> checkpoints(KafkaSettings kafka) {
    return TopicContents.read(kafka, Topics.CHECKPOINTS);
  }
}
