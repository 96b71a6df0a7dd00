package io.worldstream.app.bench;

import io.worldstream.app.Worldstream;
import io.worldstream.bench.restart.RestartBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
            BenchRestart::worldstream,
            spec.commandLine().getOut())
        .run();
    return 0;
  }

  /** This JVM's `worldstream` in a process of its own. */
  static ProcessBuilder worldstream(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Djava.awt.headless=true");
    command.add("-Dai.djl.offline=true");
    command.add(Worldstream.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    // The classpath goes in the environment: ONNX Runtime fails on very long command lines.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    return builder;
  }
}
