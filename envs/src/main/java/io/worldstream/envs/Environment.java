package io.worldstream.envs;

import java.util.OptionalLong;

/**
 * A reinforcement-learning environment with Gymnasium's conventions: {@link #reset} starts an
 * episode and returns the first observation; {@link #step} applies an action and returns the next
 * observation, the reward the action earned, and whether the episode ended by the environment's
 * rules (terminated) or for an outside reason such as a time limit (truncated). Not thread-safe:
 * one environment per thread.
 */
public interface Environment extends AutoCloseable {

  /** Gymnasium's id, e.g. {@code CarRacing-v3}. */
  String id();

  ObservationSpec observationSpec();

  ActionSpec actionSpec();

  /**
   * Starts an episode. With a seed, the episode (track, colours) is the one Gymnasium gives for
   * that seed; without one, the environment's random stream continues, so episodes differ.
   */
  Reset reset(OptionalLong seed);

  default Reset reset(long seed) {
    return reset(OptionalLong.of(seed));
  }

  /**
   * Applies one action.
   *
   * @throws IllegalArgumentException if the action does not fit {@link #actionSpec()}
   * @throws IllegalStateException if no episode was started
   */
  Step step(Action action);

  @Override
  void close();
}
