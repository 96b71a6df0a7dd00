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
   * A new environment.
   *
   * @param continuous continuous actions (CarRacing: steer, gas, brake) or discrete ones
   * @param domainRandomize random colours per episode
   * @throws IllegalArgumentException for an unknown id
   */
  public static Environment make(String id, boolean continuous, boolean domainRandomize) {
    if (CarRacing.ID.equals(id)) {
      return CarRacing.make(
          CarRacing.Options.defaults()
              .withContinuous(continuous)
              .withDomainRandomize(domainRandomize));
    }
    throw new IllegalArgumentException(
        "Unknown environment '" + id + "'; known: " + String.join(", ", IDS));
  }
}
