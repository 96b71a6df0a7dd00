package io.worldstream.envs;

import io.worldstream.envs.carracing.CarRacing;
import java.util.List;

/**
 * The registered environments, by Gymnasium id, with their time limits (Gymnasium's {@code make}).
 */
public final class Environments {

  /** Ids {@link #make} knows. */
  public static final List<String> IDS = List.of(CarRacing.ID);

  private Environments() {}

  /**
   * A new environment with its registered time limit.
   *
   * @param continuous continuous actions (CarRacing: steer, gas, brake) or discrete ones
   * @param domainRandomize random colours per episode
   * @throws IllegalArgumentException for an unknown id
   */
  public static Environment make(String id, boolean continuous, boolean domainRandomize) {
    return make(id, continuous, domainRandomize, maxEpisodeSteps(id));
  }

  /** As {@link #make(String, boolean, boolean)}, with another time limit. */
  public static Environment make(
      String id, boolean continuous, boolean domainRandomize, int maxEpisodeSteps) {
    if (CarRacing.ID.equals(id)) {
      CarRacing.Options options =
          CarRacing.Options.defaults()
              .withContinuous(continuous)
              .withDomainRandomize(domainRandomize);
      return new TimeLimit(new CarRacing(options), maxEpisodeSteps);
    }
    throw unknown(id);
  }

  /** The registered time limit of an environment. */
  public static int maxEpisodeSteps(String id) {
    if (CarRacing.ID.equals(id)) {
      return CarRacing.MAX_EPISODE_STEPS;
    }
    throw unknown(id);
  }

  private static IllegalArgumentException unknown(String id) {
    return new IllegalArgumentException(
        "Unknown environment '" + id + "'; known: " + String.join(", ", IDS));
  }
}
