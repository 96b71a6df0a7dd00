package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.env.EnvironmentBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description =
        "Measures CarRacing steps per second with state rendering, on one thread, and where the time goes.")
public final class BenchEnv implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "5000",
      description = "Measured steps (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Unmeasured steps first, for the JIT (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--repeat",
      paramLabel = "R",
      defaultValue = "3",
      description = "Measurements to take (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Override
  public Integer call() {
    EnvironmentBenchmark.Settings settings =
        Commands.settings(spec, () -> new EnvironmentBenchmark.Settings(steps, warmup, repeat));
    EnvironmentBenchmark.run(settings, spec.commandLine().getOut());
    return 0;
  }
}
