package io.worldstream.app;

import io.worldstream.producers.WorkerSettings;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import io.worldstream.train.learner.TrainSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the whole loop is sized, for {@code up} and for {@code bench learn}, which runs it. */
public final class LoopOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

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
      paramLabel = "mean|best",
      defaultValue = "mean",
      description =
          "The controller each search generation publishes for the workers: the search"
              + " distribution's mean or the best candidate (default: ${DEFAULT-VALUE}).")
  String publish;

  @Option(
      names = "--sequence-length",
      paramLabel = "T",
      defaultValue = "32",
      description = "The learner's transitions per training sequence (default: ${DEFAULT-VALUE}).")
  int sequenceLength;

  @Option(
      names = "--sequence-stride",
      paramLabel = "S",
      defaultValue = "16",
      description =
          "Steps between the starts of two of an episode's sequences (default: ${DEFAULT-VALUE}).")
  int sequenceStride;

  @Option(
      names = "--burn-in",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Transitions at the start of a sequence, one that does not start its episode, that only"
              + " bring the model's memory to where the episode had it; at most the length minus"
              + " the stride (default: ${DEFAULT-VALUE}).")
  int burnIn;

  @Option(
      names = "--train-ratio",
      paramLabel = "R",
      defaultValue = "1.0",
      description =
          "The learner's gradient steps per new training sequence (default: ${DEFAULT-VALUE}).")
  double trainRatio;

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
                population,
                rollouts,
                EvaluatorSettings.Publish.named(publish),
                TrainSettings.defaults(dataDir)
                    .withSequences(sequenceLength, sequenceStride, burnIn, trainRatio),
                statusInterval));
  }
}
