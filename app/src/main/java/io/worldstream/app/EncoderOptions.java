package io.worldstream.app;

import io.worldstream.encode.Batching;
import io.worldstream.encode.EncoderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The encoder's options, as {@link EncoderSettings}; shared by {@code encode} and its benchmark.
 */
public final class EncoderOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Mixin DataDirOption data;

  @Option(
      names = "--application-id",
      paramLabel = "ID",
      defaultValue = EncoderSettings.DEFAULT_APPLICATION_ID,
      description =
          "Kafka Streams application id; instances sharing it share the work (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--vae",
      paramLabel = "FILE|DIR",
      description =
          "VAE encoder .onnx (or a directory holding encoder.onnx, as 'vae train --out' writes),"
              + " watched for replacements (default: the bundled default VAE).")
  Path vae;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      defaultValue = "32",
      description = "Frames per VAE call at most (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--max-batch-delay",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description =
          "How long a frame waits for its batch to fill at most (default: ${DEFAULT-VALUE}).")
  Duration maxBatchDelay;

  @Option(
      names = {"--stream-threads", "--threads"},
      paramLabel = "N",
      defaultValue = "1",
      description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(
      names = "--ort-threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: the number of cores).")
  Integer ortThreads;

  @Option(
      names = "--commit-interval",
      paramLabel = "DURATION",
      defaultValue = "50ms",
      converter = DurationConverter.class,
      description =
          "How often results commit; latents become visible to readers then (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Mixin ProgressOption progress;

  public EncoderSettings settings() {
    EncoderSettings defaults = EncoderSettings.defaults(data.dataDir());
    return Commands.settings(
        command,
        () ->
            new EncoderSettings(
                applicationId,
                new Batching(batchSize, maxBatchDelay),
                streamThreads,
                ortThreads == null ? defaults.ortThreads() : ortThreads,
                Optional.ofNullable(vae),
                EncoderSettings.stateDirUnder(data.dataDir()),
                commitInterval,
                progress.progressInterval()));
  }
}
