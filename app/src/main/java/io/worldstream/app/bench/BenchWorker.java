package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.worker.WorkerBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a worker's steps per second acting with a controller (the VAE and the MDN-RNN",
      "computing its features every step) against the same worker driving brownian."
    })
public final class BenchWorker implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--envs",
      paramLabel = "N",
      defaultValue = "4",
      description = "The worker's environments (default: ${DEFAULT-VALUE}).")
  int envs;

  @Option(
      names = "--seconds",
      defaultValue = "15",
      description = "How long each round is measured (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "Unmeasured time first in each round (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "2",
      description = "Rounds per policy, alternating; the best counts (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    WorkerBenchmark.Settings settings =
        Commands.settings(spec, () -> new WorkerBenchmark.Settings(envs, seconds, warmup, rounds));
    new WorkerBenchmark(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}
