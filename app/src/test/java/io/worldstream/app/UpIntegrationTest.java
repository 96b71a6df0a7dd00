package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.EvaluationReport;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worldstream up} end to end, as a user runs it: a child JVM with the whole loop, checked
 * through Kafka and HTTP; stopped with SIGTERM (Ctrl-C's signal for a background process) and
 * started again on the same data directory.
 */
class UpIntegrationTest {

  @TempDir Path dataDir;
  private UpProcess up;

  @AfterEach
  void stop() throws Exception {
    if (up != null) {
      up.close();
    }
  }

  @Test
  void runsTheLoopAndResumesWhereItStopped() throws Exception {
    up =
        new UpProcess(
            dataDir, List.of("--population", "8", "--rollouts", "2", "--status-interval", "5s"));

    up.start("first");
    KafkaSettings kafka = up.kafka();
    up.await(() -> !TopicContents.read(kafka, Topics.LATENTS).isEmpty(), "the first latents");
    // Whether one of up's own episodes lands in the learner's held-out 10 % within the test is
    // chance; two more CarRacing episodes whose ids do give every checkpoint a held-out loss.
    int heldOutSteps = publishHeldOutEpisodes(kafka, 2, 200);
    up.await(
        () ->
            TopicContents.read(kafka, Topics.LATENTS).stream()
                    .filter(l -> l.getEpisodeId().toString().startsWith("held-out-"))
                    .count()
                >= heldOutSteps,
        "the held-out episodes encoded");
    // Held-out losses compare only over the same held-out data: checkpoints made once all of it
    // had reached the learner (a second after it was encoded).
    java.time.Instant heldOutIn = java.time.Instant.now().plusSeconds(1);
    java.util.function.Supplier<List<Checkpoint>> validated =
        () ->
            TopicContents.read(kafka, Topics.CHECKPOINTS).stream()
                .filter(c -> c.getHeldOutLoss() != null && c.getCreatedTime().isAfter(heldOutIn))
                .toList();
    // Two checkpoints in a row may differ by noise (each publishes a slow running average of the
    // weights), so the learner is given until the deadline to bring the loss below the first's.
    up.await(
        () -> {
          List<Checkpoint> compared = validated.get();
          return compared.size() >= 2
              && compared.get(compared.size() - 1).getHeldOutLoss()
                  < compared.get(0).getHeldOutLoss();
        },
        "a checkpoint whose held-out loss is below the first one validated on the same data");
    System.out.printf(
        "held-out loss: %s%n",
        validated.get().stream()
            .map(c -> "v" + c.getVersion() + " " + c.getHeldOutLoss())
            .toList());
    up.await(() -> !TopicContents.read(kafka, Topics.EVALUATIONS).isEmpty(), "a CMA-ES generation");
    List<Checkpoint> checkpoints = TopicContents.read(kafka, Topics.CHECKPOINTS);
    assertThat(checkpoints).extracting(Checkpoint::getVersion).startsWith(1L, 2L);
    assertThat(TopicContents.read(kafka, Topics.CONTROLLERS)).isNotEmpty();
    EvaluationReport report = TopicContents.read(kafka, Topics.EVALUATIONS).get(0);
    assertThat(report.getPopulationSize()).isEqualTo(8);
    HttpResponse<String> dream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + up.httpPort() + "/api/dreams"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"rollouts\": 2, \"horizon\": 20}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(dream.statusCode()).as(dream.body()).isEqualTo(200);
    // Steps published so far: all of them the first run's. (The broker lives in `up`: read now.)
    long experiencedFirst = TopicContents.records(kafka, Topics.EXPERIENCE.name());
    assertThat(experiencedFirst).isPositive();
    up.stop();

    up.start("second");
    KafkaSettings again = up.kafka();
    up.await(
        () -> !TopicContents.read(again, Topics.CHECKPOINTS).isEmpty(),
        "the broker back with its data");
    // The restored learner publishes its next version a checkpoint interval after it starts.
    long lastVersion =
        TopicContents.read(again, Topics.CHECKPOINTS).stream()
            .mapToLong(Checkpoint::getVersion)
            .max()
            .orElseThrow();
    up.await(
        () ->
            TopicContents.read(again, Topics.CHECKPOINTS).stream()
                .anyMatch(c -> c.getVersion() == lastVersion + 1),
        "the version after " + lastVersion);
    up.await(
        () -> TopicContents.read(again, Topics.LATENTS).size() >= experiencedFirst,
        "the first run's " + experiencedFirst + " steps encoded");
    List<Checkpoint> all = TopicContents.read(again, Topics.CHECKPOINTS);
    List<String> encoded =
        TopicContents.read(again, Topics.LATENTS).stream()
            .map(l -> l.getEpisodeId() + "#" + l.getStep())
            .toList();
    long experienced = TopicContents.records(again, Topics.EXPERIENCE.name());
    up.stop();

    assertThat(all)
        .as("versions continue across the restart, none repeated")
        .extracting(Checkpoint::getVersion)
        .doesNotHaveDuplicates()
        .contains(lastVersion, lastVersion + 1);
    assertThat(encoded).as("no step encoded twice").doesNotHaveDuplicates();
    // Workers publish without transactions: a topic's offsets count its records.
    assertThat((long) encoded.size())
        .as("no latent without a step")
        .isLessThanOrEqualTo(experienced);
  }

  /**
   * Brownian CarRacing episodes whose ids hash into the learner's held-out share; returns how many
   * steps were published.
   */
  private static int publishHeldOutEpisodes(KafkaSettings kafka, int episodes, int steps) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < episodes; i++) {
      if (io.worldstream.train.learner.Learner.heldOut("held-out-" + i, 10)) {
        ids.add("held-out-" + i);
      }
    }
    int published = 0;
    try (var producer =
        new io.worldstream.producers.ExperienceProducer(kafka.clientConfig(), "up-test")) {
      for (int e = 0; e < ids.size(); e++) {
        try (var env =
            io.worldstream.envs.Environments.make(
                io.worldstream.envs.carracing.CarRacing.ID, true, false)) {
          var policy = new io.worldstream.envs.policy.BrownianPolicy(env.actionSpec(), e);
          var observation = env.reset(e).observation();
          for (int t = 0; t < steps; t++) {
            var action = (io.worldstream.envs.Action.Continuous) policy.act(observation);
            var step = env.step(action);
            producer.send(
                io.worldstream.records.ExperienceStep.newBuilder()
                    .setEpisodeId(ids.get(e))
                    .setWorkerId("up-test")
                    .setEnvId(io.worldstream.envs.carracing.CarRacing.ID)
                    .setEnvSeed(e)
                    .setStep(t)
                    .setFrame(
                        new io.worldstream.records.Frame(
                            96, 96, 3, java.nio.ByteBuffer.wrap(observation.data())))
                    .setAction(
                        List.of(
                            (float) action.get(0), (float) action.get(1), (float) action.get(2)))
                    .setReward(step.reward())
                    .setTerminated(step.terminated())
                    .setTruncated(step.truncated() || t == steps - 1)
                    .setPolicyId("brownian")
                    .setPolicyVersion(0)
                    .setEventTime(java.time.Instant.now())
                    .build());
            published++;
            observation = step.observation();
            if (step.done()) {
              break;
            }
          }
        }
      }
      producer.flush();
    }
    return published;
  }
}
