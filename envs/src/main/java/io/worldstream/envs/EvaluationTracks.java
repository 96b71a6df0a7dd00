package io.worldstream.envs;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;

/**
 * Tracks no worker trains on: every seed from {@link #FIRST} up is reserved, so a controller's
 * return on them is its return on tracks it has never seen. They come in two sets kept apart: the
 * evaluation tracks, {@link #seeds}, that measure controllers, and the selection tracks, {@link
 * #selectionSeeds}, on which the evaluator chooses the controller the workers act with — a
 * controller chosen for its return on some tracks is then measured on others. Worker seeds lie in
 * {@code [0, FIRST)}.
 */
public final class EvaluationTracks {

  /** The first reserved seed; every seed at or above it is an evaluation track. */
  public static final long FIRST = 2_000_000_000L;

  /** How many evaluation tracks there are: seeds {@code FIRST … FIRST + COUNT - 1}. */
  public static final int COUNT = 100_000;

  /** The first selection track's seed, after the evaluation tracks; as many of them. */
  public static final long SELECTION_FIRST = FIRST + COUNT;

  private EvaluationTracks() {}

  /** The first {@code n} evaluation tracks' seeds. */
  public static List<Long> seeds(int n) {
    return range(FIRST, n, "evaluation");
  }

  /** The first {@code n} selection tracks' seeds, none of them an evaluation track. */
  public static List<Long> selectionSeeds(int n) {
    return range(SELECTION_FIRST, n, "selection");
  }

  private static List<Long> range(long first, int n, String kind) {
    if (n < 1 || n > COUNT) {
      throw new IllegalArgumentException(kind + " tracks are 1 to " + COUNT + ", not " + n);
    }
    return LongStream.range(first, first + n).boxed().toList();
  }

  /** Whether workers must stay off this seed's track. */
  public static boolean isReserved(long seed) {
    return seed >= FIRST;
  }

  /** A random training seed, outside the reserved range. */
  public static long trainingSeed(RandomGenerator random) {
    return random.nextLong(FIRST);
  }

  /** The training seed {@code offset} places after {@code first}, wrapping before the reserve. */
  public static long trainingSeed(long first, long offset) {
    return Math.floorMod(first + offset, FIRST);
  }
}
