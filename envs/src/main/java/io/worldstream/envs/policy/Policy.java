package io.worldstream.envs.policy;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;

/** Chooses actions from observations. One per environment; not thread-safe. */
public interface Policy extends AutoCloseable {

  /** What {@code ExperienceStep.policyId} records: random, brownian, controller. */
  String id();

  /** Version of the policy's parameters (0 for the parameter-free policies). */
  long version();

  /** Called at the start of every episode. */
  default void reset() {}

  Action act(Pixels observation);

  /** Hands back what the policy holds (models); nothing for the parameter-free policies. */
  @Override
  default void close() {}
}
