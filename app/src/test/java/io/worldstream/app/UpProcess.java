package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.schemas.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code worldstream up} in a child JVM on one data directory, as tests start, stop, kill and start
 * it again; each run writes its own log beside the data. Each run binds ports of its own choosing
 * ({@code --port 0 --http-port 0}: a port chosen here and closed before the child binds it could be
 * taken in between) and names them in its log, where {@link #kafka} and {@link #httpPort} read
 * them.
 */
final class UpProcess implements AutoCloseable {

  private static final Pattern BROKER = Pattern.compile("Kafka broker ready on (\\S+:\\d+) ");
  private static final Pattern DASHBOARD = Pattern.compile("Dashboard: http://[^:/]+:(\\d+)/");

  private final Path dir;
  private final List<String> options;
  private Process up;
  private Path log;

  /**
   * @param options up's options beyond the data directory and ports
   */
  UpProcess(Path dir, List<String> options) {
    this.dir = dir;
    this.options = List.copyOf(options);
  }

  /** The running broker's clients' settings, once its start line is in the log. */
  KafkaSettings kafka() throws Exception {
    return KafkaSettings.at(fromLog(BROKER, "the broker's start"));
  }

  /** The running dashboard's and API's port, once the Dashboard line is in the log. */
  int httpPort() throws Exception {
    return Integer.parseInt(fromLog(DASHBOARD, "the dashboard's address"));
  }

  private String fromLog(Pattern line, String what) throws Exception {
    await(() -> line.matcher(output()).find(), what);
    Matcher found = line.matcher(output());
    found.find();
    return found.group(1);
  }

  private String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path log() {
    return log;
  }

  /** The running JVM's process id. */
  long pid() {
    return up.pid();
  }

  /** Starts a run, logging to {@code up-NAME.log}. */
  void start(String name) throws IOException {
    log = dir.resolve("up-" + name + ".log");
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "up", "--data-dir", dir.resolve("data").toString(), "--port", "0", "--http-port", "0"));
    args.addAll(options);
    ProcessBuilder builder = ChildProcess.worldstream("2g", args);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    up = builder.start();
  }

  /** Stops the run with SIGTERM (Ctrl-C's signal for a background process); the worker first. */
  void stop() throws Exception {
    up.destroy();
    assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("up stops within 90 s of SIGTERM").isTrue();
    String output = Files.readString(log);
    assertThat(output).contains("Stopping the worker", "Stopping the broker");
    assertThat(output.indexOf("Stopping the worker"))
        .isLessThan(output.indexOf("Stopping the broker"));
  }

  /** Kills the run with SIGKILL: no shutdown hook, nothing flushed. */
  void kill() throws Exception {
    up.destroyForcibly();
    assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("up dies of SIGKILL").isTrue();
  }

  /** Waits up to four minutes for {@code condition}, failing with the log if up exits first. */
  void await(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!condition.getAsBoolean()) {
      if (!up.isAlive()) {
        throw new AssertionError(
            "up exited while waiting for " + what + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ":\n" + Files.readString(log));
      }
      Thread.sleep(1_000);
    }
  }

  @Override
  public void close() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
