package io.worldstream.app.bench;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Commands;
import io.worldstream.app.UpCommand;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.service.Service;
import io.worldstream.service.ServiceRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The {@code up} composition running in this process for a benchmark: every line it says goes to a
 * log file, its status lines also to the console with the minutes since it started.
 */
final class LoopRun implements AutoCloseable {

  private final PrintWriter file;
  private final Path log;
  private final ExperienceWorker worker;
  private final ServiceRunner runner;
  private final Thread running;
  private final int[] status = {0};
  private final long startedNanos = System.nanoTime();
  private final Instant started = Instant.now();

  /** Starts {@code loop}, writing what it says to {@code log}. */
  LoopRun(UpCommand.Loop loop, Path log, Consumer<String> say) throws IOException {
    this.log = log;
    this.file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Consumer<String> loopSay =
        line -> {
          synchronized (file) {
            file.println(line);
          }
          if (line.startsWith("up: ")) {
            say.accept(String.format(Locale.ROOT, "%5.1f min: %s", minutes(), line.substring(4)));
          }
        };
    List<Service> services = Commands.create(() -> loop.services(loopSay));
    worker =
        services.stream()
            .filter(ExperienceWorker.class::isInstance)
            .map(ExperienceWorker.class::cast)
            .findFirst()
            .orElseThrow();
    runner = new ServiceRunner(services, file, file);
    running = new Thread(() -> status[0] = runner.run(), "bench-loop");
    running.start();
  }

  /**
   * The loop's data directory: {@code given}, or a new one under the system's temporary directory
   * named from {@code prefix}.
   *
   * @throws CommandFailure if {@code given} exists and is not empty: a loop starts from nothing
   */
  static Path emptyDataDir(Path given, String prefix) throws IOException {
    Path directory = given != null ? given : Files.createTempDirectory(prefix);
    if (Files.isDirectory(directory)) {
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new CommandFailure(
              "The loop starts from an empty data directory; " + directory + " is not empty",
              2,
              null);
        }
      }
    }
    return directory;
  }

  Instant started() {
    return started;
  }

  /** Minutes since the loop started. */
  double minutes() {
    return (System.nanoTime() - startedNanos) / 6e10;
  }

  /** Env steps the workers have taken so far. */
  long envSteps() {
    return worker.steps();
  }

  /**
   * Waits until {@code deadlineNanos} (a {@link System#nanoTime()}) or until {@code done} says so,
   * checking every second.
   *
   * @throws CommandFailure if the loop stopped on its own
   */
  void runUntil(long deadlineNanos, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    while (running.isAlive() && System.nanoTime() < deadlineNanos && !done.getAsBoolean()) {
      running.join(1000);
    }
    if (!running.isAlive()) {
      throw new CommandFailure("The loop stopped before its budget was spent; see " + log, 1, null);
    }
  }

  /**
   * Stops the loop (the workers first, the broker last) and waits for it.
   *
   * @throws CommandFailure if it failed while stopping
   */
  void stop() throws InterruptedException {
    runner.requestStop();
    running.join();
    if (status[0] != 0) {
      throw new CommandFailure("The loop failed while stopping; see " + log, 1, null);
    }
  }

  /** Stops the loop if it still runs, and closes the log. */
  @Override
  public void close() throws InterruptedException {
    try {
      if (running.isAlive()) {
        runner.requestStop();
        running.join();
      }
    } finally {
      file.close();
    }
  }
}
