package io.worldstream.app.vae;

import io.worldstream.app.Commands;
import io.worldstream.train.vae.VaeTrainingSettings;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A VAE training run's options, as {@link VaeTrainingSettings}. */
public final class VaeTrainingOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  static final class Source {
    @Option(
        names = "--from-env",
        required = true,
        description = "Collect frames by running CarRacing with the brownian policy.")
    boolean fromEnv;

    @Option(
        names = "--from-topic",
        required = true,
        description = "Read frames from wm.experience, oldest first.")
    boolean fromTopic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--episodes",
      paramLabel = "E",
      defaultValue = "40",
      description = "--from-env: episodes, seeds S, S+1, … (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(
      names = "--steps",
      paramLabel = "T",
      defaultValue = "300",
      description = "--from-env: steps per episode (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "First episode seed, and the training seed (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "12000",
      description = "--from-topic: frames to read at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = "1e-3",
      description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--held-out",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description = "Share of episodes held out (default: ${DEFAULT-VALUE}).")
  double heldOut;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Where to write the model and its card.")
  Path out;

  public VaeTrainingSettings settings() {
    return Commands.settings(
        command,
        () ->
            new VaeTrainingSettings(
                source.fromEnv
                    ? VaeTrainingSettings.Source.ENVIRONMENT
                    : VaeTrainingSettings.Source.TOPIC,
                episodes,
                steps,
                seed,
                limit,
                epochs,
                batchSize,
                learningRate,
                heldOut,
                out));
  }
}
