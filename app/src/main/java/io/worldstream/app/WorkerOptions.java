package io.worldstream.app;

import io.worldstream.envs.Environments;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.train.learner.Learner;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A worker's options, as {@link WorkerSettings}. */
public final class WorkerOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--envs",
      paramLabel = "N",
      defaultValue = "1",
      description = "Environments, one thread each (default: ${DEFAULT-VALUE}).")
  int envs;

  @Option(
      names = "--policy",
      paramLabel = "P",
      defaultValue = "brownian",
      description = "random, brownian or controller (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--episodes",
      paramLabel = "E",
      description = "Episodes to run in all (default: run until Ctrl-C).")
  Long episodes;

  @Option(
      names = "--forever",
      description = "Run until Ctrl-C (the default unless --episodes is given).")
  boolean forever;

  @Option(
      names = "--max-fps",
      paramLabel = "F",
      description = "Steps per second per environment at most (real time is 50).")
  Double maxFps;

  @Option(
      names = "--env",
      paramLabel = "ID",
      defaultValue = WorkerSettings.DEFAULT_ENV,
      description = "Environment (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(
      names = "--max-episode-steps",
      paramLabel = "T",
      description = "Time limit per episode (default: the environment's, 1000).")
  Integer maxEpisodeSteps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the first episode; later ones count up (default: random).")
  Long seed;

  @Option(
      names = "--lineage",
      paramLabel = "NAME",
      description =
          "Model lineage whose controllers --policy controller follows (default: the one the"
              + " learner trains on the bundled VAE's latents).")
  String lineage;

  @Mixin ExplorationOptions exploration;

  @Mixin ProgressOption progress;

  public WorkerSettings settings() {
    if (forever && episodes != null) {
      throw new CommandFailure("choose --episodes or --forever, not both", Worldstream.USAGE, null);
    }
    return Commands.settings(
        command,
        () ->
            new WorkerSettings(
                env,
                envs,
                WorkerSettings.Policy.named(policy),
                episodes == null ? OptionalLong.empty() : OptionalLong.of(episodes),
                maxFps == null ? OptionalDouble.empty() : OptionalDouble.of(maxFps),
                maxEpisodeSteps == null ? Environments.maxEpisodeSteps(env) : maxEpisodeSteps,
                seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                WorkerSettings.newWorkerId(),
                lineage != null ? lineage : Learner.lineage(ModelVersion.of(DefaultVae.encoder())),
                exploration.exploration(),
                progress.progressInterval()));
  }
}
