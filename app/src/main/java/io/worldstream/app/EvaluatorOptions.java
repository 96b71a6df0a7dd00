package io.worldstream.app;

import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The controller evaluator's options, as {@link EvaluatorSettings}. */
public final class EvaluatorOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--instance",
      paramLabel = "NAME",
      defaultValue = EvaluatorSettings.DEFAULT_INSTANCE,
      description =
          "Names this evaluator's transactions; a restarted evaluator with the same name continues"
              + " its work (default: ${DEFAULT-VALUE}).")
  String instance;

  @Option(
      names = "--lineage",
      paramLabel = "NAME",
      description =
          "Search only in checkpoints of this lineage (default: the newest checkpoint's).")
  String lineage;

  @Option(
      names = "--population",
      paramLabel = "N",
      defaultValue = "64",
      description = "CMA-ES candidates per generation (default: ${DEFAULT-VALUE}).")
  int population;

  @Option(
      names = "--rollouts",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "Dream rollouts averaged into each candidate's fitness (default: ${DEFAULT-VALUE}).")
  int rollouts;

  @Option(
      names = "--sigma",
      paramLabel = "S",
      defaultValue = "0.1",
      description = "CMA-ES initial step size on a new checkpoint (default: ${DEFAULT-VALUE}).")
  double sigma;

  @Option(
      names = "--temperature",
      paramLabel = "TAU",
      defaultValue = "1.15",
      description = "Dream temperature τ of the MDN sampling (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--horizon",
      paramLabel = "STEPS",
      defaultValue = "1000",
      description = "Dream steps per rollout at most (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--done-threshold",
      paramLabel = "P",
      defaultValue = "0.5",
      description =
          "A dream ends when the predicted probability of done exceeds this (default: ${DEFAULT-VALUE}).")
  double doneThreshold;

  @Option(
      names = "--l2-penalty",
      paramLabel = "L",
      defaultValue = "0",
      description = "Fitness = mean dream return − L × ‖θ‖² (default: ${DEFAULT-VALUE}).")
  double l2Penalty;

  @Option(
      names = "--max-staleness",
      paramLabel = "VERSIONS",
      defaultValue = "0",
      description =
          "Versions the searched checkpoint may fall behind the newest before the search moves on,"
              + " after finishing its generation (default: ${DEFAULT-VALUE}).")
  int maxStaleness;

  @Option(
      names = "--real-check-every",
      paramLabel = "GENERATIONS",
      defaultValue = "5",
      description =
          "Run the best controller in the real environment every this many generations (counted"
              + " across checkpoints); 0 never"
              + " (default: ${DEFAULT-VALUE}).")
  int realCheckEvery;

  @Option(
      names = "--real-seeds",
      paramLabel = "SEED",
      split = ",",
      defaultValue = "1,2,3,4",
      description =
          "Environment seeds of the real check, one episode each (default: ${DEFAULT-VALUE}).")
  List<Long> realSeeds;

  @Option(
      names = "--starts-per-vae",
      paramLabel = "N",
      defaultValue = "1024",
      description =
          "Episode starts from wm.latents kept per VAE version to begin dreams from (default: ${DEFAULT-VALUE}).")
  int startsPerVae;

  @Option(
      names = "--ort-threads",
      paramLabel = "N",
      description =
          "ONNX Runtime threads and real environments stepping at once (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--search-seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of the search and its dreams (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--vae",
      paramLabel = "FILE|DIR",
      description =
          "VAE encoder .onnx (or a directory holding encoder.onnx) the real check encodes frames"
              + " with (default: the bundled default VAE).")
  Path vae;

  public EvaluatorSettings settings() {
    return Commands.settings(
        command,
        () ->
            new EvaluatorSettings(
                instance,
                Optional.ofNullable(lineage),
                population,
                rollouts,
                sigma,
                temperature,
                horizon,
                doneThreshold,
                l2Penalty,
                maxStaleness,
                realCheckEvery,
                realSeeds,
                startsPerVae,
                threads == null ? EvaluatorSettings.defaults().threads() : threads,
                seed,
                Optional.ofNullable(vae)));
  }
}
