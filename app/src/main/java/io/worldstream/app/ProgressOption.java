package io.worldstream.app;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How often a long-running part prints its progress line. */
public final class ProgressOption {

  @Option(
      names = {"--progress-interval", "--progress"},
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often to print progress (default: ${DEFAULT-VALUE}).")
  Duration progressInterval;

  public Duration progressInterval() {
    return progressInterval;
  }
}
