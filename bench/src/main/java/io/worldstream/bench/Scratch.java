package io.worldstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary directory a benchmark works in — an in-process broker's log, a part's state: some
 * hundreds of MB a run — deleted with everything in it when the benchmark ends.
 */
public final class Scratch {

  private Scratch() {}

  /** A new empty directory named after the benchmark. */
  public static Path directory(String benchmark) throws IOException {
    return Files.createTempDirectory("worldstream-bench-" + benchmark);
  }

  /** Deletes {@code root} and everything in it. */
  public static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
