package io.worldstream.app.bench;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Commands;
import io.worldstream.app.DurationConverter;
import io.worldstream.app.LoopOptions;
import io.worldstream.app.UpCommand;
import io.worldstream.bench.learn.LearningCurve;
import io.worldstream.broker.BrokerService;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.ServiceRunner;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worldstream bench learn}: how well the loop learns to drive. Runs the {@code up}
 * composition from an empty data directory for a budget, then measures its learning curve on the
 * evaluation tracks no worker trains on ({@link LearningCurve}).
 */
@Command(
    name = "learn",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how well the loop learns to drive: runs the whole loop as 'up' does, from an",
      "empty data directory, for --minutes (and/or --env-steps); then, with the loop stopped, the",
      "newest controller at every mark drives the real CarRacing on evaluation tracks that no",
      "worker ever trains on, beside random and brownian driving on the same tracks and the",
      "dream's own prediction for the same controller. Writes learning-curve.jsonl and",
      "learning-curve.png to --out. --from measures a loop that already ran in that directory.",
      "The loop's sizes default to up's."
    })
public final class BenchLearn implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      defaultValue = "60",
      description = "How long the loop runs (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--env-steps",
      paramLabel = "N",
      description = "Stop the loop once its workers took this many steps, if sooner.")
  Long envSteps;

  @Option(
      names = "--mark-every",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Time between the curve's marks (default: ${DEFAULT-VALUE}).")
  Duration markEvery;

  @Option(
      names = "--tracks",
      paramLabel = "N",
      defaultValue = "16",
      description = "Evaluation tracks driven at every mark (default: ${DEFAULT-VALUE}).")
  int tracks;

  @Option(
      names = "--final-tracks",
      paramLabel = "N",
      description = "Evaluation tracks driven at the last mark (default: --tracks).")
  Integer finalTracks;

  @Option(
      names = "--dream-rollouts",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Fresh dream rollouts scoring each mark's controller (default: ${DEFAULT-VALUE}).")
  int dreamRollouts;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "learn",
      description = "Where the curve's data and chart go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The loop's data directory; must be empty or absent (default: a new one under the"
              + " system's temporary directory).")
  Path dataDir;

  @Option(
      names = "--from",
      paramLabel = "DIR",
      description =
          "Measure the loop that ran in this data directory (e.g. 'up --data-dir DIR') instead of"
              + " running one: its first --minutes from --started-at.")
  Path from;

  @Option(
      names = "--started-at",
      paramLabel = "INSTANT",
      description = "With --from: when that loop started, e.g. 2026-12-03T19:10:36Z.")
  Instant startedAt;

  @Mixin LoopOptions sizes;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    Consumer<String> say = Commands.console(spec);
    Duration budget = Duration.ofMillis(Math.round(minutes * 60_000));
    Path directory;
    Instant started;
    Instant ended;
    int port = freePort();
    // How the loop's search dreams, from the loop options given (the defaults, for --from unless
    // the same options say how that loop ran): each mark's dream is drawn the same way.
    EvaluatorSettings searchDreams = sizes.search();
    if (from != null) {
      if (startedAt == null) {
        throw new CommandFailure("--from needs --started-at: when that loop started", 2, null);
      }
      directory = from;
      started = startedAt;
      ended = started.plus(budget);
    } else {
      directory = LoopRun.emptyDataDir(dataDir, "worldstream-learn-");
      // Measuring drives every mark's controller afterwards, in its own checkpoint's dream: keep
      // every checkpoint model.
      UpCommand.Loop loop =
          sizes
              .loop(directory, port, freePort(), Duration.ofSeconds(60))
              .withThinning(Optional.empty());
      say.accept(
          String.format(
              Locale.ROOT,
              "Running the loop for %.0f min%s in %s (its log: %s)",
              minutes,
              envSteps == null ? "" : " or " + envSteps + " env steps",
              directory,
              directory.resolve("loop.log")));
      Files.createDirectories(directory);
      started = Instant.now();
      ended = runLoop(loop, budget, directory.resolve("loop.log"), say);
    }
    Files.createDirectories(out);
    LearningCurve.Settings settings =
        Commands.settings(
            spec,
            () ->
                new LearningCurve.Settings(
                    started,
                    ended,
                    markEvery,
                    tracks,
                    finalTracks == null ? tracks : finalTracks,
                    dreamRollouts,
                    searchDreams,
                    Math.max(1, Runtime.getRuntime().availableProcessors()),
                    out));
    say.accept("Measuring the curve on the loop's topics (broker on " + directory + ")…");
    BrokerService broker =
        new BrokerService(new BrokerService.Settings(directory, port, false), line -> {});
    broker.start();
    try {
      new LearningCurve(KafkaSettings.at("127.0.0.1:" + port), settings, say).measure(console);
    } finally {
      broker.stop(ServiceRunner.STOP_TIMEOUT);
    }
    return 0;
  }

  /** Runs the loop until the budget is spent; returns when it was told to stop. */
  private Instant runLoop(UpCommand.Loop loop, Duration budget, Path log, Consumer<String> say)
      throws IOException, InterruptedException {
    try (LoopRun run = new LoopRun(loop, log, say)) {
      run.runUntil(
          System.nanoTime() + budget.toNanos(),
          () -> envSteps != null && run.envSteps() >= envSteps);
      Instant ended = Instant.now();
      say.accept(
          String.format(
              Locale.ROOT,
              "Stopping the loop after %.1f min and %d env steps…",
              run.minutes(),
              run.envSteps()));
      run.stop();
      return ended;
    }
  }

  /** A port free now, for a broker this process starts. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }
}
