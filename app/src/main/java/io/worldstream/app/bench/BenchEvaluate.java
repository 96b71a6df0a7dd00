package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.evaluate.EvaluatorBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the controller evaluator: seconds per CMA-ES generation (every candidate's",
      "dream rollouts with its controller acting, plus ask and tell), against the dream",
      "environment alone stepping as many dreams as far in the same run."
    })
public final class BenchEvaluate implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--population",
      defaultValue = "64",
      description = "Candidates per generation (default: ${DEFAULT-VALUE}).")
  int population;

  @Option(
      names = "--rollouts",
      defaultValue = "16",
      description = "Dream rollouts per candidate (default: ${DEFAULT-VALUE}).")
  int rollouts;

  @Option(
      names = "--horizon",
      defaultValue = "1000",
      description = "Dream steps per rollout (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--generations",
      defaultValue = "3",
      description = "Generations measured after one that warms up (default: ${DEFAULT-VALUE}).")
  int generations;

  @Option(
      names = "--ort-threads",
      defaultValue = "2",
      description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int ortThreads;

  @Override
  public Integer call() {
    EvaluatorBenchmark.Settings settings =
        Commands.settings(
            spec,
            () ->
                new EvaluatorBenchmark.Settings(
                    population, rollouts, horizon, generations, ortThreads));
    new EvaluatorBenchmark(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}
