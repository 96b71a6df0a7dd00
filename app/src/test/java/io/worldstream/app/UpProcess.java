package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code worldstream up} in a child JVM on one data directory and fixed ports, as tests start,
 * stop, kill and start it again; each run writes its own log beside the data.
 */
final class UpProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final int httpPort;
  private final List<String> options;
  private Process up;
  private Path log;

  /**
   * @param options up's options beyond the data directory and ports
   */
  UpProcess(Path dir, List<String> options) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.httpPort = freePort();
    this.options = List.copyOf(options);
  }

  int port() {
    return port;
  }

  int httpPort() {
    return httpPort;
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
            "up",
            "--data-dir",
            dir.resolve("data").toString(),
            "--port",
            Integer.toString(port),
            "--http-port",
            Integer.toString(httpPort)));
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
