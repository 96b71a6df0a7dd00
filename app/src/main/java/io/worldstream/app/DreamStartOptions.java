package io.worldstream.app;

import picocli.CommandLine.Option;

/** Where the controller search's dreams start, for {@code evaluate} and the loop. */
public final class DreamStartOptions {

  @Option(
      names = "--mid-episode-starts",
      paramLabel = "SHARE",
      defaultValue = "0",
      description =
          "Share of the search's dreams that begin from a state later in a real episode instead of"
              + " its first step, so the search also sees bends taken at speed (default:"
              + " ${DEFAULT-VALUE}).")
  double midEpisodeStarts;
}
