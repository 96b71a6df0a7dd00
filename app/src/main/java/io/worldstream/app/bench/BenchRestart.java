package io.worldstream.app.bench;

import io.worldstream.app.ChildProcess;
import io.worldstream.bench.restart.RestartBenchmark;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how soon the encoder, the learner and the evaluator are at work again after a",
      "kill (SIGKILL) in mid-stream, each started again on its own state, against its first start",
      "in the same run; each runs as a worldstream process beside an in-process broker."
    })
public final class BenchRestart implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--steps-per-second",
      defaultValue = "60",
      description = "Experience written per second meanwhile (default: ${DEFAULT-VALUE}).")
  double stepsPerSecond;

  @Option(
      names = "--run-before-kill",
      defaultValue = "15",
      description = "Seconds each part works before it is killed (default: ${DEFAULT-VALUE}).")
  long runBeforeKill;

  @Override
  public Integer call() throws Exception {
    new RestartBenchmark(
            new RestartBenchmark.Settings(stepsPerSecond, Duration.ofSeconds(runBeforeKill)),
            args -> ChildProcess.worldstream("1g", args),
            spec.commandLine().getOut())
        .run();
    return 0;
  }
}
