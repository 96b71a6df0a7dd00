package io.worldstream.app.env;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Worldstream;
import io.worldstream.envs.EnvBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measures CarRacing steps per second with state rendering, on one thread, and where the time goes.")
final class EnvBench implements Callable<Integer> {

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
    if (steps < 1 || warmup < 0 || repeat < 1) {
      throw new CommandFailure(
          "--steps and --repeat must be positive and --warmup not negative",
          Worldstream.USAGE,
          null);
    }
    var out = spec.commandLine().getOut();
    out.printf(
        "CarRacing-v3, brownian policy, state pixels every step, 1 thread (%d warm-up steps)%n",
        warmup);
    out.printf(
        "%8s %10s %10s %10s %12s %10s%n",
        "steps", "steps/s", "physics", "draw", "downscale", "other");
    for (int r = 0; r < repeat; r++) {
      EnvBenchmark.Result result = EnvBenchmark.run(r == 0 ? warmup : 0, steps);
      out.printf(
          "%8d %10.0f %8.3fms %8.3fms %10.3fms %8.3fms%n",
          result.steps(),
          result.stepsPerSecond(),
          result.physicsMs(),
          result.drawMs(),
          result.downscaleMs(),
          result.otherMs());
      out.flush();
    }
    return 0;
  }
}
