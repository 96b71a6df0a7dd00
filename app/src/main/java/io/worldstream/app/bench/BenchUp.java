package io.worldstream.app.bench;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Commands;
import io.worldstream.app.DurationConverter;
import io.worldstream.app.LoopOptions;
import io.worldstream.app.UpCommand;
import io.worldstream.bench.Figures;
import io.worldstream.bench.ThreadCpu;
import io.worldstream.bench.env.EnvironmentBenchmark;
import io.worldstream.bench.learn.LoopThroughput;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.DefaultVae;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worldstream bench up}: how fast the whole loop goes on this machine. Runs the {@code up}
 * composition from an empty data directory and, after a warm-up, measures over a window the env
 * steps per second, the search's generations and the learner's gradient steps per minute, and which
 * part of the loop used the CPU; beside the env steps, one environment stepping alone in the same
 * process just before.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how fast the whole loop goes: runs it as 'up' does, from an empty data directory,",
      "and after --warm-up measures until --minutes the env steps per second (beside one",
      "CarRacing environment stepping alone, measured just before), the search's generations and",
      "the learner's gradient steps per minute, and each part's share of the CPU. The loop's",
      "sizes default to up's."
    })
public final class BenchUp implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      defaultValue = "6",
      description = "How long the loop runs, warm-up included (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--warm-up",
      paramLabel = "DURATION",
      defaultValue = "3m",
      converter = DurationConverter.class,
      description =
          "Unmeasured time first: the workers drive brownian until the first controller, and the"
              + " search starts after the first checkpoint (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The loop's data directory; must be empty or absent (default: a new one under the"
              + " system's temporary directory).")
  Path dataDir;

  @Mixin LoopOptions sizes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Consumer<String> say = Commands.console(spec);
    Duration budget = Duration.ofMillis(Math.round(minutes * 60_000));
    if (budget.compareTo(warmUp.plusSeconds(30)) < 0) {
      throw new CommandFailure(
          "--minutes must leave at least 30 s after the --warm-up of " + warmUp.toSeconds() + " s",
          2,
          null);
    }
    Path directory = LoopRun.emptyDataDir(dataDir, "worldstream-up-");
    Files.createDirectories(directory);

    say.accept("One CarRacing environment stepping alone, for the baseline…");
    EnvironmentBenchmark.Result alone = EnvironmentBenchmark.run(1_000, 3_000);

    UpCommand.Loop loop =
        sizes
            .loop(directory, BenchLearn.freePort(), BenchLearn.freePort(), Duration.ofSeconds(30))
            .withThinning(Optional.empty());
    int cores = Runtime.getRuntime().availableProcessors();
    say.accept(
        String.format(
            Locale.ROOT,
            "Running the loop for %.0f min in %s (its log: %s), measuring after %d s",
            minutes,
            directory,
            directory.resolve("loop.log"),
            warmUp.toSeconds()));
    Map<String, Long> threadsFrom;
    long processFrom;
    long measuringFrom;
    Map<String, Long> used = new HashMap<>();
    long processNanos;
    double seconds;
    Instant from;
    LoopThroughput throughput;
    try (LoopRun run = new LoopRun(loop, directory.resolve("loop.log"), say)) {
      long startNanos = System.nanoTime();
      run.runUntil(startNanos + warmUp.toNanos(), () -> false);
      from = Instant.now();
      measuringFrom = System.nanoTime();
      threadsFrom = ThreadCpu.snapshot();
      processFrom = ThreadCpu.processNanos();
      run.runUntil(startNanos + budget.toNanos(), () -> false);
      ThreadCpu.addSince(used, threadsFrom, "");
      processNanos = ThreadCpu.processNanos() - processFrom;
      seconds = (System.nanoTime() - measuringFrom) / 1e9;
      Instant to = Instant.now();
      say.accept("Reading what the loop did from its topics…");
      throughput =
          LoopThroughput.read(loop.kafka(), ModelVersion.of(DefaultVae.encoder()), from, to);
      say.accept(String.format(Locale.ROOT, "Stopping the loop after %.1f min…", run.minutes()));
      run.stop();
    }

    double capacity = seconds * 1e9 * cores;
    double process = processNanos / capacity;
    out.printf(
        Locale.ROOT,
        "over %.1f min after %d s: %d env steps, %d search generations, %d gradient steps;"
            + " the process used %.0f %% of %d cores%n",
        throughput.window().toMillis() / 60_000.0,
        warmUp.toSeconds(),
        throughput.envSteps(),
        throughput.generations(),
        throughput.gradientSteps(),
        100 * process,
        cores);
    Figures figures =
        new Figures()
            .add(
                "up.env-steps-per-second",
                throughput.envStepsPerSecond(),
                "steps/s",
                "one-env-alone",
                alone.stepsPerSecond())
            .add("up.generations-per-minute", throughput.generationsPerMinute(), "generations/min")
            .add("up.gradient-steps-per-minute", throughput.gradientStepsPerMinute(), "steps/min")
            .add("up.cpu.process", 100 * process, "% of all cores");
    ThreadCpu.byPart(used, processNanos)
        .forEach(
            (part, nanos) ->
                figures.add("up.cpu." + part.label(), 100 * nanos / capacity, "% of all cores"));
    figures.print(out);
    return 0;
  }
}
