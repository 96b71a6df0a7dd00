package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.train.FreshnessBenchmark;
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
      "in-process broker) against the standalone MDN-RNN trainer in the same run, then its",
      "freshness: how soon a latent written live is in a published checkpoint."
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
      description =
          "Measuring time of each throughput phase; 0 leaves them out (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--torch-threads",
      defaultValue = "1",
      description = "PyTorch threads for training (default: ${DEFAULT-VALUE}).")
  int torchThreads;

  @Option(
      names = "--freshness-seconds",
      defaultValue = "150",
      description =
          "How long latents are written live for the freshness figures; 0 leaves them out"
              + " (default: ${DEFAULT-VALUE}).")
  double freshnessSeconds;

  @Option(
      names = "--episodes-at-once",
      defaultValue = "4",
      description = "Episodes written at the same time for freshness (default: ${DEFAULT-VALUE}).")
  int episodesAtOnce;

  @Option(
      names = "--steps-per-second",
      defaultValue = "30",
      description = "Step rate of each of those episodes (default: ${DEFAULT-VALUE}).")
  double stepsPerSecond;

  @Override
  public Integer call() throws Exception {
    if (seconds > 0) {
      TrainBenchmark.Settings settings =
          Commands.settings(
              spec, () -> new TrainBenchmark.Settings(episodes, steps, seconds, torchThreads));
      new TrainBenchmark(settings, spec.commandLine().getOut()).run();
    }
    if (freshnessSeconds > 0) {
      FreshnessBenchmark.Settings freshness =
          Commands.settings(
              spec,
              () ->
                  new FreshnessBenchmark.Settings(
                      episodesAtOnce, stepsPerSecond, 1_000, freshnessSeconds));
      new FreshnessBenchmark(freshness, spec.commandLine().getOut()).run();
    }
    return 0;
  }
}
