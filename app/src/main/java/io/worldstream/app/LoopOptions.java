package io.worldstream.app;

import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How the whole loop is sized, for {@code up} and for {@code bench learn}, which runs it. Each flag
 * here is also a flag of a part's own command ({@code --envs} the worker's, {@code --population}
 * the evaluator's, {@code --sequence-length} the learner's, …) and reaches that part through {@link
 * PartSettings}, which reads the values picocli set on these fields.
 */
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
      paramLabel = "mean|average|best|champion",
      defaultValue = "mean",
      description =
          "The controller each search generation publishes for the workers: the search"
              + " distribution's mean, the running average of its means over about the last 10"
              + " generations once a checked controller drives, the best candidate, or the"
              + " champion (the last published until the"
              + " mean outscores it in the dream) (default: ${DEFAULT-VALUE}).")
  String publish;

  @Option(
      names = "--real-check-every",
      paramLabel = "GENERATIONS",
      defaultValue = "10",
      description =
          "Drive the published controller on the selection tracks every this many search"
              + " generations (after as much dreaming while --rollouts-until-driving dreams fewer"
              + " rollouts), for the dashboard, the status line and the best controller; each check"
              + " drives 16 tracks, as long as about eight generations of search on two cores; 0"
              + " never (default: ${DEFAULT-VALUE}).")
  int realCheckEvery;

  @Mixin SearchDreamOptions dreams;

  /** The loop's controller search: the evaluator's settings, as {@link #loop} runs it. */
  public EvaluatorSettings search() {
    return PartSettings.of(
        command, "evaluate", Map.of(), Map.of(), (EvaluateCommand c) -> c.evaluator.settings());
  }

  /**
   * The loop with these sizes, its broker and dashboard on these ports, and each part as its own
   * command would run it with the keys given for it ({@link PartSettings}): the flags above are
   * also the flags of the same names of the parts.
   */
  public UpCommand.Loop loop(Path dataDir, int port, int httpPort, Duration statusInterval) {
    Map<String, String> underDataDir = Map.of("data-dir", dataDir.toString());
    return new UpCommand.Loop(
        dataDir,
        port,
        PartSettings.of(
            command, "encode", underDataDir, Map.of(), (EncodeCommand c) -> c.encoder.settings()),
        PartSettings.of(
            command,
            "train",
            underDataDir,
            Map.of("progress-interval", "10s"),
            (TrainCommand c) -> c.train.settings()),
        PartSettings.of(
            command,
            "serve",
            Map.of("http-port", String.valueOf(httpPort)),
            Map.of(),
            (ServeCommand c) -> c.serving.settings()),
        search(),
        PartSettings.of(
            command,
            "worker",
            Map.of(),
            Map.of("progress-interval", "30s"),
            (WorkerCommand c) -> c.worker.settings()),
        statusInterval);
  }
}
