package io.worldstream.app;

import io.worldstream.encode.Batching;
import io.worldstream.encode.Encoder;
import io.worldstream.encode.EncoderSettings;
import io.worldstream.encode.VaeInService;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.schemas.TopicAdmin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code worldstream encode}: the Kafka Streams encoder, frames in, latents out. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes every frame of wm.experience with the VAE into a latent on wm.latents, in",
      "micro-batches, exactly once; records it cannot use go to wm.experience.dlq with the reason.",
      "Run more instances with the same --application-id to share the partitions.",
      "With --vae FILE, a changed file is checked and put in service between two batches."
    })
public final class EncodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

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
      description = "Frames per VAE call at most (default: 32).")
  Integer batchSize;

  @Option(
      names = "--max-batch-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long a frame waits for its batch to fill at most (default: 10ms).")
  Duration maxBatchDelay;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "Kafka Streams threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--ort-threads",
      paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default: the number of cores).")
  Integer ortThreads;

  @Option(
      names = "--commit-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How often results commit; latents become visible to readers then (default: 50ms).")
  Duration commitInterval;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      defaultValue = "${env:WORLDSTREAM_DATA_DIR:-data}/encode",
      description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(
      names = "--progress",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often to print progress (default: ${DEFAULT-VALUE}).")
  Duration progress;

  @Override
  public Integer call() throws Exception {
    EncoderSettings settings = settings();
    PrintWriter out = spec.commandLine().getOut();
    try (VaeInService vae = loadVae(settings)) {
      try (Admin admin = kafka.connectedAdmin()) {
        new TopicAdmin(admin, kafka.connectTimeout()).createMissing(Optional.empty());
      }
      Encoder encoder =
          new Encoder(
              kafka.clientConfig(),
              settings,
              vae,
              line -> {
                out.println(line);
                out.flush();
              });
      out.printf(
          "encode: application %s on %s, batches of %d or %d ms, %d stream thread(s), %d ONNX"
              + " Runtime thread(s), commit every %d ms, VAE %s%n",
          settings.applicationId(),
          kafka.bootstrapServers(),
          settings.batching().maxFrames(),
          settings.batching().maxDelay().toMillis(),
          settings.streamThreads(),
          settings.ortThreads(),
          settings.commitInterval().toMillis(),
          settings.vaeFile().map(Path::toString).orElse("bundled default") + " " + vae.version());
      out.flush();
      return runUntilStopped(encoder, out);
    }
  }

  private int runUntilStopped(Encoder encoder, PrintWriter out) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println(
                  "encode: stopping; waiting frames stay in the changelog for the next run");
              out.flush();
              encoder.close();
              stopped.countDown();
            },
            "encode-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    encoder.start();
    while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
      KafkaStreams.State state = encoder.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        Runtime.getRuntime().removeShutdownHook(hook);
        encoder.close();
        Throwable failure = encoder.failure();
        throw new CommandFailure(
            "the encoder stopped"
                + (failure == null ? "" : ": " + failure.getMessage())
                + "; nothing is lost, run it again to resume",
            failure);
      }
    }
    return 0;
  }

  private EncoderSettings settings() {
    EncoderSettings defaults = EncoderSettings.defaults(stateDir);
    try {
      return new EncoderSettings(
          applicationId,
          new Batching(
              batchSize == null ? defaults.batching().maxFrames() : batchSize,
              maxBatchDelay == null ? defaults.batching().maxDelay() : maxBatchDelay),
          threads,
          ortThreads == null ? defaults.ortThreads() : ortThreads,
          Optional.ofNullable(vae).map(EncodeCommand::encoderFile),
          stateDir,
          commitInterval == null ? defaults.commitInterval() : commitInterval,
          progress);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), Worldstream.USAGE, e);
    }
  }

  private static Path encoderFile(Path path) {
    return Files.isDirectory(path) ? path.resolve("encoder.onnx") : path;
  }

  private static VaeInService loadVae(EncoderSettings settings) {
    Optional<Path> file = settings.vaeFile();
    if (file.isEmpty()) {
      return VaeInService.load(
          DefaultVae.encoder(), "the bundled default VAE", settings.ortThreads());
    }
    Path path = file.get();
    try {
      return VaeInService.load(Files.readAllBytes(path), path.toString(), settings.ortThreads());
    } catch (IOException e) {
      throw new CommandFailure("Cannot read the VAE encoder " + path + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("Cannot use " + path + " as the VAE encoder: " + e.getMessage(), e);
    }
  }
}
