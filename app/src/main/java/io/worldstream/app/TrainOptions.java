package io.worldstream.app;

import io.worldstream.train.learner.LearnerSettings;
import io.worldstream.train.learner.TrainSettings;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The learner job's options, as {@link TrainSettings}. */
public final class TrainOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Mixin DataDirOption data;

  @Mixin ProgressOption progress;

  @Mixin SequenceOptions sequences;

  @Option(
      names = "--idle-flush",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How long an episode may be quiet before its last steps are trained on (default: ${DEFAULT-VALUE}).")
  Duration idleFlush;

  @Option(
      names = "--train-batch-size",
      paramLabel = "B",
      defaultValue = "16",
      description = "Sequences per gradient step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--held-out-percent",
      paramLabel = "P",
      defaultValue = "10",
      description =
          "Share of episodes never trained on, for validation (default: ${DEFAULT-VALUE}).")
  int heldOutPercent;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "K",
      defaultValue = "200",
      description = "Gradient steps between published checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Longest time between published checkpoints while training (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--learning-rate",
      defaultValue = "1e-3",
      description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--flink-checkpoint-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Flink's checkpoint interval; a published model is visible once the next one completes"
              + " (default: ${DEFAULT-VALUE}).")
  Duration flinkCheckpointInterval;

  @Option(
      names = "--torch-threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "PyTorch threads for training; more help only on cores nothing else uses"
              + " (default: ${DEFAULT-VALUE}).")
  int torchThreads;

  @Option(
      names = "--dropout",
      paramLabel = "P",
      defaultValue = "0.1",
      description =
          "Share of the MDN-RNN's state dropped before its heads in training, one mask per"
              + " sequence, as the evaluator's dreams drop it per rollout (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--lineage-expiry",
      paramLabel = "DURATION",
      defaultValue = "1d",
      converter = DurationConverter.class,
      description =
          "How long a lineage may receive no latents (its VAE replaced) before its replay, held-out"
              + " set and model leave the learner's state; its version numbers are kept (default:"
              + " ${DEFAULT-VALUE}).")
  Duration lineageExpiry;

  @Option(
      names = "--flink-cluster",
      paramLabel = "HOST:PORT",
      description =
          "Run the job on this Flink session cluster (its REST address) instead of embedded; the"
              + " cluster's classpath must hold Worldstream's jars, and DIR/train must be a"
              + " directory its task managers share (default: embedded).")
  String flinkCluster;

  public TrainSettings settings() {
    return Commands.settings(
        command,
        () ->
            new TrainSettings(
                LearnerSettings.builder()
                    .batchSize(batchSize)
                    .trainRatio(sequences.trainRatio)
                    .replayCapacity(sequences.replayCapacity)
                    .heldOutPercent(heldOutPercent)
                    .heldOutCapacity(TrainSettings.heldOutCapacity(sequences.replayCapacity))
                    .checkpointEvery(checkpointEvery)
                    .checkpointInterval(checkpointInterval)
                    .learningRate(learningRate)
                    .torchThreads(torchThreads)
                    .dropout(dropout)
                    .averageDecay(sequences.averageDecay)
                    .lineageExpiry(lineageExpiry)
                    .storedState(sequences.storedState)
                    .build(),
                sequences.length,
                sequences.stride,
                sequences.burnIn,
                idleFlush,
                flinkCheckpointInterval,
                TrainSettings.stateDirUnder(data.dataDir()),
                TrainSettings.DEFAULT_APPLICATION_ID,
                progress.progressInterval(),
                java.util.Optional.ofNullable(flinkCluster)));
  }
}
