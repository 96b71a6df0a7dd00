package io.worldstream.envs;

import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.Policy;

/**
 * Steps per second of CarRacing with state rendering, on the calling thread, and where the time
 * goes. Episodes run under the brownian policy with the 1000-step limit, seeds 0, 1, 2, …
 */
public final class EnvBenchmark {

  /**
   * One measurement.
   *
   * @param physicsMs mean per step: car update and jbox2d world step
   * @param drawMs mean per step: drawing the 1000×800 canvas
   * @param downscaleMs mean per step: pygame's area filter to 96×96
   * @param otherMs mean per step: everything else (policy, episode bookkeeping, resets)
   */
  public record Result(
      long steps,
      double seconds,
      double stepsPerSecond,
      double physicsMs,
      double drawMs,
      double downscaleMs,
      double otherMs) {}

  private EnvBenchmark() {}

  /** Runs {@code warmupSteps} unmeasured, then {@code steps} measured. */
  public static Result run(long warmupSteps, long steps) {
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      Policy policy = new BrownianPolicy(env.actionSpec(), 42);
      Episodes episodes = new Episodes(env, policy);
      episodes.advance(warmupSteps);
      CarRacing.StepTimings before = env.timings();
      long started = System.nanoTime();
      episodes.advance(steps);
      double seconds = (System.nanoTime() - started) / 1e9;
      CarRacing.StepTimings t = env.timings().minus(before);
      double perStep = 1e6 * steps;
      double physics = t.physicsNanos() / perStep;
      double draw = t.drawNanos() / perStep;
      double downscale = t.downscaleNanos() / perStep;
      double total = seconds * 1e3 / steps;
      return new Result(
          steps,
          seconds,
          steps / seconds,
          physics,
          draw,
          downscale,
          total - physics - draw - downscale);
    }
  }

  /** Steps an environment through consecutive episodes. */
  private static final class Episodes {
    private final CarRacing env;
    private final Policy policy;
    private Pixels observation;
    private long seed;
    private int episodeSteps;

    Episodes(CarRacing env, Policy policy) {
      this.env = env;
      this.policy = policy;
    }

    void advance(long steps) {
      for (long k = 0; k < steps; k++) {
        if (observation == null || episodeSteps >= CarRacing.MAX_EPISODE_STEPS) {
          policy.reset();
          observation = env.reset(seed++).observation();
          episodeSteps = 0;
        }
        Step step = env.step(policy.act(observation));
        episodeSteps++;
        observation = step.done() ? null : step.observation();
      }
    }
  }
}
