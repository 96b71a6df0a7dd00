package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.app.EncoderOptions;
import io.worldstream.app.KafkaOptions;
import io.worldstream.bench.encode.EncoderBenchmark;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the encoder (worldstream encode, with the same options) against a real broker:",
      "1. the standalone VaeEncoder on the same frames, and its preprocessing and ORT parts;",
      "2. throughput draining a pre-filled wm.experience backlog, in turns with the standalone",
      "   VaeEncoder (the baseline) so that both see the same moments of a shared machine,",
      "   with a CPU profile of the encoder's turns;",
      "3. latency from frame event time to latent committed under real CarRacing workers",
      "   at a steady offered load (default 4 environments at real-time 50 fps = 200 frames/s).",
      "Starts an in-process broker in a temporary directory unless --bootstrap-servers is given."
    })
public final class BenchEncode implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin EncoderOptions encoder;

  @Option(
      names = "--frames",
      defaultValue = "20000",
      description = "Backlog size (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--warmup-frames",
      defaultValue = "20000",
      description = "Backlog drained first, unmeasured (default: ${DEFAULT-VALUE}).")
  int warmupFrames;

  @Option(
      names = "--java-profile",
      description = {
        "Also sample Java stacks with JFR during the drain. Starting a recording makes the JVM",
        "re-instrument its socket and file classes and recompile what depends on them, which",
        "costs throughput: use it to see where Java time goes, not for the figure."
      })
  boolean javaProfile;

  @Option(
      names = "--turn-seconds",
      defaultValue = "5",
      description =
          "How long the encoder drains before each standalone turn (default: ${DEFAULT-VALUE}).")
  double turnSeconds;

  @Option(
      names = "--baseline-seconds",
      defaultValue = "2",
      description = "How long each standalone turn runs (default: ${DEFAULT-VALUE}).")
  double baselineSeconds;

  @Option(
      names = "--latency-seconds",
      defaultValue = "30",
      description =
          "Time under steady load; 0 skips the latency phase (default: ${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(
      names = "--latency-envs",
      defaultValue = "4",
      description = "Environments at 50 fps each in the latency phase (default: ${DEFAULT-VALUE}).")
  int latencyEnvs;

  @Override
  public Integer call() throws Exception {
    EncoderBenchmark.Settings bench =
        Commands.settings(
            spec,
            () ->
                new EncoderBenchmark.Settings(
                    frames,
                    warmupFrames,
                    javaProfile,
                    turnSeconds,
                    baselineSeconds,
                    latencySeconds,
                    latencyEnvs));
    boolean external = spec.commandLine().getParseResult().hasMatchedOption("--bootstrap-servers");
    new EncoderBenchmark(
            bench,
            encoder.settings(),
            external ? Optional.of(kafka.settings()) : Optional.empty(),
            spec.commandLine().getOut())
        .run();
    return 0;
  }
}
