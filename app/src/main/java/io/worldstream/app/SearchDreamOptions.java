package io.worldstream.app;

import picocli.CommandLine.Option;

/** How the controller search's dreams are drawn, for {@code evaluate} and the loop. */
public final class SearchDreamOptions {

  @Option(
      names = "--horizon",
      paramLabel = "STEPS",
      defaultValue = "1000",
      description = "Dream steps per rollout at most (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--mid-episode-starts",
      paramLabel = "SHARE",
      defaultValue = "0",
      description =
          "Share of the search's dreams that begin from a state later in a real episode instead of"
              + " its first step, so the search also sees bends taken at speed (default:"
              + " ${DEFAULT-VALUE}).")
  double midEpisodeStarts;

  @Option(
      names = "--common-dreams",
      paramLabel = "true|false",
      defaultValue = "false",
      arity = "0..1",
      description =
          "Every candidate of a search generation drives the same dreams (the same starts, dropout"
              + " masks and sampling noise), so candidates are ranked by what they do rather than"
              + " by the luck of their dreams (default: ${DEFAULT-VALUE}).")
  boolean commonDreams;
}
