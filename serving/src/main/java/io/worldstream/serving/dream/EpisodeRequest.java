package io.worldstream.serving.dream;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * A real episode on demand, as {@code POST /api/episodes} takes it: a controller of a checkpoint
 * drives the real CarRacing on one track (its seed) for some steps; every few steps the observation
 * becomes a frame of the answer's animation.
 *
 * @param every one frame every this many steps
 */
public record EpisodeRequest(
    Optional<String> lineage,
    Optional<Long> version,
    DreamRequest.Controller controller,
    Optional<double[]> parameters,
    long seed,
    int steps,
    int every) {

  public static final int MAX_STEPS = 1000;

  private static final Set<String> FIELDS =
      Set.of("lineage", "version", "controller", "parameters", "seed", "steps", "every");

  public static EpisodeRequest parse(JsonNode body) {
    DreamRequest.onlyFields(body, FIELDS);
    DreamRequest.Controller controller = DreamRequest.controller(body);
    return new EpisodeRequest(
        DreamRequest.lineage(body),
        DreamRequest.version(body),
        controller,
        DreamRequest.parameters(body, controller),
        trackSeed(body),
        DreamRequest.whole(body, "steps", 300, 1, MAX_STEPS),
        DreamRequest.whole(body, "every", 2, 1, 10));
  }

  /** The track: CarRacing's seeds are whole numbers from 0. */
  private static long trackSeed(JsonNode body) {
    long seed = DreamRequest.seed(body);
    if (seed < 0) {
      throw new DreamRequest.Invalid("seed must be a track number from 0; got " + seed);
    }
    return seed;
  }
}
