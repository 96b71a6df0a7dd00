package io.worldstream.app;

import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
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
      names = "--publish",
      paramLabel = "mean|average|best|champion",
      defaultValue = "mean",
      description =
          "The controller each generation publishes: the search distribution's mean, scored on the"
              + " same dreams as its candidates; the running average of those means over about the"
              + " last 10 generations once a real check has seen a controller drive (100 or more),"
              + " scored alike; the best candidate found on the checkpoint;"
              + " or the champion, the controller published last until the mean outscores it on a"
              + " generation's dreams (default: ${DEFAULT-VALUE}).")
  String publish;

  @Option(
      names = "--real-check-every",
      paramLabel = "GENERATIONS",
      defaultValue = "10",
      description =
          "Drive the published controller on the selection tracks every this many generations"
              + " (counted across checkpoints; while --rollouts-until-driving dreams fewer"
              + " rollouts, after as much dreaming); 0 never (default: ${DEFAULT-VALUE}).")
  int realCheckEvery;

  @Option(
      names = "--real-tracks",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "Selection tracks the real check drives, one episode each: the first N of the seeds"
              + " reserved for choosing controllers, which no worker trains on and which are kept"
              + " apart from the evaluation tracks. A controller that drives (100 or more) and"
              + " would become the best checked drives the next N as well, and its real return"
              + " is the mean over all 2N (default: ${DEFAULT-VALUE}).")
  int realTracks;

  @Option(
      names = "--starts-per-vae",
      paramLabel = "N",
      defaultValue = "1024",
      description =
          "Dream starts kept per VAE version from wm.latents: the newest episodes' first steps,"
              + " and as many states later in them (default: ${DEFAULT-VALUE}).")
  int startsPerVae;

  @Mixin SearchDreamOptions dreams;

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
            dreams
                .applyTo(EvaluatorSettings.builder())
                .instance(instance)
                .lineage(Optional.ofNullable(lineage))
                .populationSize(population)
                .rolloutsPerCandidate(rollouts)
                .initialSigma(sigma)
                .doneThreshold(doneThreshold)
                .l2Penalty(l2Penalty)
                .maxStaleness(maxStaleness)
                .publish(EvaluatorSettings.Publish.named(publish))
                .realCheck(realCheckEvery, realTracks)
                .startsPerVae(startsPerVae)
                .threads(threads == null ? EvaluatorSettings.defaults().threads() : threads)
                .seed(seed)
                .vae(Optional.ofNullable(vae))
                .build());
  }
}
