package io.worldstream.app;

import io.worldstream.producers.WorkerSettings;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import io.worldstream.serving.registry.ModelThinning;
import io.worldstream.train.learner.TrainSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the whole loop is sized, for {@code up} and for {@code bench learn}, which runs it. */
public final class LoopOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Mixin SequenceOptions sequences;

  @Mixin ExplorationOptions exploration;

  @Option(
      names = "--envs",
      paramLabel = "N",
      defaultValue = "1",
      description = "CarRacing environments stepping, one thread each (default: ${DEFAULT-VALUE}).")
  int envs;

  @Option(
      names = "--policy",
      paramLabel = "P",
      defaultValue = "controller",
      description =
          "The workers' policy: controller (the newest found, brownian until then), brownian or"
              + " random (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--population",
      paramLabel = "N",
      defaultValue = "32",
      description = "CMA-ES candidates per generation (default: ${DEFAULT-VALUE}).")
  int population;

  @Option(
      names = "--rollouts",
      paramLabel = "N",
      defaultValue = "8",
      description = "Dream rollouts per candidate (default: ${DEFAULT-VALUE}).")
  int rollouts;

  @Option(
      names = "--publish",
      paramLabel = "mean|best|champion",
      defaultValue = "mean",
      description =
          "The controller each search generation publishes for the workers: the search"
              + " distribution's mean, the best candidate, or the champion (the last published"
              + " until the mean outscores it in the dream) (default: ${DEFAULT-VALUE}).")
  String publish;

  @Option(
      names = "--real-check-every",
      paramLabel = "GENERATIONS",
      defaultValue = "10",
      description =
          "Drive the published controller on the selection tracks every this many search"
              + " generations, for the dashboard, the status line and the best controller; each check"
              + " drives 16 tracks, as long as about eight generations of search on two cores; 0"
              + " never (default: ${DEFAULT-VALUE}).")
  int realCheckEvery;

  @Mixin SearchDreamOptions dreams;

  /** The loop's controller search with these sizes and dreams. */
  public EvaluatorSettings search() {
    return Commands.settings(
        command,
        () ->
            dreams
                .applyTo(EvaluatorSettings.builder())
                .populationSize(population)
                .rolloutsPerCandidate(rollouts)
                .publish(EvaluatorSettings.Publish.named(publish))
                .realCheckEvery(realCheckEvery)
                .build());
  }

  /** The loop with these sizes, its broker and dashboard on these ports. */
  public UpCommand.Loop loop(Path dataDir, int port, int httpPort, Duration statusInterval) {
    return Commands.settings(
        command,
        () ->
            new UpCommand.Loop(
                dataDir,
                port,
                httpPort,
                envs,
                WorkerSettings.Policy.named(policy),
                exploration.exploration(),
                search(),
                TrainSettings.defaults(dataDir)
                    .withSequences(
                        sequences.length,
                        sequences.stride,
                        sequences.burnIn,
                        sequences.trainRatio,
                        sequences.replayCapacity)
                    .withAverageDecay(sequences.averageDecay),
                statusInterval,
                Optional.of(ModelThinning.defaults())));
  }
}
