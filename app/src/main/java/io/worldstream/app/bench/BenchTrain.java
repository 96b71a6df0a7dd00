package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.train.TrainBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the learner's training throughput inside Flink (embedded, over latents in an",
      "in-process broker) against the standalone MDN-RNN trainer in the same run."
    })
public final class BenchTrain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--bench-episodes",
      defaultValue = "40",
      description = "Episodes of latents written first (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(
      names = "--bench-steps",
      defaultValue = "200",
      description = "Steps per episode (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Measuring time of each phase (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--torch-threads",
      defaultValue = "1",
      description = "PyTorch threads for training (default: ${DEFAULT-VALUE}).")
  int torchThreads;

  @Override
  public Integer call() throws Exception {
    TrainBenchmark.Settings settings =
        Commands.settings(
            spec, () -> new TrainBenchmark.Settings(episodes, steps, seconds, torchThreads));
    new TrainBenchmark(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}
