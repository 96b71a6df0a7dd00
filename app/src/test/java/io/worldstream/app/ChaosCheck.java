package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up} killed with SIGKILL at random moments, three times, and started again on its data
 * directory while its worker runs: afterwards every step the worker published is encoded exactly
 * once, checkpoint and controller versions run 1…N without a repeat or a gap, and the search goes
 * on after every start. Minutes long, so not in every build: {@code mvn -Pchaos verify} (the kill
 * moments come from {@code -Dchaos.seed}).
 */
class ChaosCheck {

  @TempDir Path dataDir;

  @Test
  void upKilledThreeTimesLosesNothingAndRepeatsNothing() throws Exception {
    Random random = new Random(Long.getLong("chaos.seed", 20261205L));
    try (UpProcess up =
        new UpProcess(
            dataDir, List.of("--population", "8", "--rollouts", "2", "--status-interval", "5s"))) {
      up.start("run-0");
      KafkaSettings first = up.kafka();
      up.await(
          () ->
              !TopicContents.read(first, Topics.CHECKPOINTS).isEmpty()
                  && !TopicContents.read(first, Topics.EVALUATIONS).isEmpty(),
          "a checkpoint and a search generation");
      for (int kill = 1; kill <= 3; kill++) {
        long after = 5_000 + random.nextInt(25_000);
        Thread.sleep(after);
        KafkaSettings killed = up.kafka();
        int checkpoints = TopicContents.read(killed, Topics.CHECKPOINTS).size();
        int reports = TopicContents.read(killed, Topics.EVALUATIONS).size();
        up.kill();
        System.out.printf(
            "kill %d: %.1f s on, after %d checkpoints and %d search generations%n",
            kill, after / 1000.0, checkpoints, reports);
        up.start("run-" + kill);
        KafkaSettings restarted = up.kafka();
        up.await(
            () -> TopicContents.read(restarted, Topics.CHECKPOINTS).size() > checkpoints,
            "a checkpoint after kill " + kill);
        up.await(
            () -> TopicContents.read(restarted, Topics.EVALUATIONS).size() > reports,
            "a search generation after kill " + kill);
      }

      KafkaSettings kafka = up.kafka();
      List<String> experienced = TopicContents.read(kafka, Topics.EXPERIENCE, ChaosCheck::key);
      assertThat(experienced).as("steps the worker published").doesNotHaveDuplicates();
      up.await(
          () ->
              new HashSet<>(TopicContents.read(kafka, Topics.LATENTS, ChaosCheck::key))
                  .containsAll(experienced),
          "every one of the " + experienced.size() + " steps published encoded");
      List<String> encoded = TopicContents.read(kafka, Topics.LATENTS, ChaosCheck::key);
      var experiencedSince =
          new HashSet<>(TopicContents.read(kafka, Topics.EXPERIENCE, ChaosCheck::key));
      List<Long> versions = TopicContents.read(kafka, Topics.CHECKPOINTS, Checkpoint::getVersion);
      Map<String, List<Long>> controllers =
          TopicContents.read(kafka, Topics.CONTROLLERS).stream()
              .collect(
                  Collectors.groupingBy(
                      ControllerUpdate::getLineage,
                      Collectors.mapping(ControllerUpdate::getVersion, Collectors.toList())));
      up.stop();

      assertThat(encoded).as("no step encoded twice").doesNotHaveDuplicates();
      assertThat(experiencedSince).as("no latent without a step").containsAll(encoded);
      assertThat(versions)
          .as("checkpoint versions")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, versions.size()).boxed().toList());
      assertThat(controllers).isNotEmpty();
      controllers.forEach(
          (lineage, published) ->
              assertThat(published)
                  .as("controller versions of %s", lineage)
                  .containsExactlyElementsOf(
                      LongStream.rangeClosed(1, published.size()).boxed().toList()));
      System.out.printf(
          "%d steps published and encoded once each; checkpoints v1…v%d; controllers %s%n",
          experienced.size(),
          versions.size(),
          controllers.entrySet().stream()
              .map(e -> e.getKey() + " v1…v" + e.getValue().size())
              .toList());
    }
  }

  private static String key(ExperienceStep step) {
    return step.getEpisodeId() + "#" + step.getStep();
  }

  private static String key(LatentStep step) {
    return step.getEpisodeId() + "#" + step.getStep();
  }
}
