package io.worldstream.app;

import io.worldstream.producers.Exploration;
import picocli.CommandLine.Option;

/** How workers acting with a controller explore around it, for {@code worker} and the loop. */
public final class ExplorationOptions {

  @Option(
      names = "--explore",
      paramLabel = "SHARE",
      defaultValue = "0.5",
      description =
          "Share of a controller-driven worker's episodes that add smooth noise to the"
              + " controller's outputs, so the world model also learns what lies a little off its"
              + " path; 0 drives every episode with the controller as published (default:"
              + " ${DEFAULT-VALUE}).")
  double share;

  @Option(
      names = "--explore-noise",
      paramLabel = "SD",
      defaultValue = "0.3",
      description =
          "Standard deviation of that noise on each controller output, whose range is -1 to 1"
              + " (default: ${DEFAULT-VALUE}).")
  double noise;

  public Exploration exploration() {
    return Exploration.DEFAULT.with(share, noise);
  }
}
