package io.worldstream.envs;

import java.util.OptionalLong;

/**
 * Gymnasium's TimeLimit wrapper: truncates an episode after {@code maxSteps} calls to step (the
 * environment's own reset-time step is not counted).
 */
public final class TimeLimit implements Environment {

  private final Environment env;
  private final int maxSteps;
  private int elapsed;

  public TimeLimit(Environment env, int maxSteps) {
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be positive, not " + maxSteps);
    }
    this.env = env;
    this.maxSteps = maxSteps;
  }

  public Environment unwrapped() {
    return env;
  }

  public int maxSteps() {
    return maxSteps;
  }

  @Override
  public String id() {
    return env.id();
  }

  @Override
  public ObservationSpec observationSpec() {
    return env.observationSpec();
  }

  @Override
  public ActionSpec actionSpec() {
    return env.actionSpec();
  }

  @Override
  public Reset reset(OptionalLong seed) {
    elapsed = 0;
    return env.reset(seed);
  }

  @Override
  public Step step(Action action) {
    Step step = env.step(action);
    elapsed++;
    if (elapsed >= maxSteps && !step.truncated()) {
      return new Step(step.observation(), step.reward(), step.terminated(), true, step.info());
    }
    return step;
  }

  @Override
  public void close() {
    env.close();
  }
}
