package io.worldstream.envs;

import java.util.Map;

/**
 * What {@link Environment#step} returns.
 *
 * @param reward the reward the action earned
 * @param terminated the episode ended by the environment's rules
 * @param truncated the episode ended for an outside reason (time limit)
 */
public record Step(
    Pixels observation,
    double reward,
    boolean terminated,
    boolean truncated,
    Map<String, Object> info) {

  public Step {
    info = Map.copyOf(info);
  }

  public boolean done() {
    return terminated || truncated;
  }
}
