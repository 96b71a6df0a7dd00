package io.worldstream.app.bench;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Commands;
import io.worldstream.bench.learn.DreamFidelity;
import io.worldstream.broker.BrokerService;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.ServiceRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worldstream bench fidelity}: how well the dream of a finished loop predicts the road,
 * under several ways of dreaming ({@link DreamFidelity}).
 */
@Command(
    name = "fidelity",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how well the dream predicts the road, on a loop that already ran in --from (e.g.",
      "'bench learn --data-dir DIR' or 'up --data-dir DIR'): controllers it published, spread over",
      "the run, drive the real CarRacing on the evaluation tracks no worker trains on and are",
      "scored in their own checkpoint's dream at every temperature and dropout given. Prints, per",
      "way of dreaming, how it orders the controllers against the road (Spearman's rho, Pearson's",
      "r), the mean gap dream - real and the dreams' length, beside the search's own way of",
      "dreaming; writes dream-fidelity.jsonl to --out."
    })
public final class BenchFidelity implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      paramLabel = "DIR",
      required = true,
      description = "The data directory of the loop to measure.")
  Path from;

  @Option(
      names = "--controllers",
      paramLabel = "N",
      defaultValue = "24",
      description =
          "Published controllers to measure, evenly spread over the run (default:"
              + " ${DEFAULT-VALUE}).")
  int controllers;

  @Option(
      names = "--tracks",
      paramLabel = "N",
      defaultValue = "16",
      description = "Evaluation tracks each controller drives (default: ${DEFAULT-VALUE}).")
  int tracks;

  @Option(
      names = "--dream-rollouts",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Dream rollouts scoring each controller in each way of dreaming (default:"
              + " ${DEFAULT-VALUE}).")
  int dreamRollouts;

  @Option(
      names = "--temperatures",
      paramLabel = "T",
      split = ",",
      defaultValue = "1.15,1.0",
      description =
          "Sampling temperatures of the dream, the search's first (default: ${DEFAULT-VALUE}).")
  List<Double> temperatures;

  @Option(
      names = "--dropouts",
      paramLabel = "P",
      split = ",",
      defaultValue = "0.1,0",
      description = "Dropouts of the dream, the search's first (default: ${DEFAULT-VALUE}).")
  List<Double> dropouts;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "fidelity",
      description = "Where the data goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Consumer<String> say = Commands.console(spec);
    DreamFidelity.Settings settings =
        Commands.settings(
            spec,
            () -> {
              List<DreamFidelity.Dreaming> ways = new ArrayList<>();
              for (double dropout : dropouts) {
                for (double temperature : temperatures) {
                  ways.add(new DreamFidelity.Dreaming(temperature, dropout));
                }
              }
              return new DreamFidelity.Settings(
                  controllers,
                  tracks,
                  dreamRollouts,
                  ways,
                  Math.max(1, Runtime.getRuntime().availableProcessors()),
                  out);
            });
    if (!Files.isDirectory(from.resolve("kafka"))) {
      throw new CommandFailure(from + " holds no loop's data (no kafka directory)", 2, null);
    }
    int port = BenchLearn.freePort();
    BrokerService broker =
        new BrokerService(new BrokerService.Settings(from, port, false), line -> {});
    broker.start();
    try {
      new DreamFidelity(KafkaSettings.at("127.0.0.1:" + port), settings, say)
          .measure(spec.commandLine().getOut());
    } finally {
      broker.stop(ServiceRunner.STOP_TIMEOUT);
    }
    return 0;
  }
}
