package io.worldstream.bench.env;

import io.worldstream.bench.Figures;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.Policy;
import io.worldstream.service.InvalidSettingException;
import java.io.PrintWriter;

/**
 * Steps per second of CarRacing with state rendering, on the calling thread, and where the time
 * goes. Episodes run under the brownian policy with the 1000-step limit, seeds 0, 1, 2, …
 */
public final class EnvironmentBenchmark {

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

  /**
   * @param steps measured steps per measurement
   * @param warmup unmeasured steps first, for the JIT
   * @param repeat measurements to take
   */
  public record Settings(long steps, long warmup, int repeat) {
    public Settings {
      if (steps < 1) {
        throw new InvalidSettingException("steps", "the measured steps must be at least 1");
      }
      if (warmup < 0) {
        throw new InvalidSettingException("warmup", "the warm-up must not be negative");
      }
      InvalidSettingException.atLeast("repeat", "the number of measurements", repeat, 1);
    }
  }

  private EnvironmentBenchmark() {}

  /**
   * Measures {@code settings.repeat()} times and prints a line each, then the figures: the best
   * steps/s, beside the steps/s of the physics alone (what the rendering adds to it).
   */
  public static Figures run(Settings settings, PrintWriter out) {
    out.printf(
        "%s, brownian policy, state pixels every step, 1 thread (%d warm-up steps)%n",
        CarRacing.ID, settings.warmup());
    out.printf(
        "%8s %10s %10s %10s %12s %10s%n",
        "steps", "steps/s", "physics", "draw", "downscale", "other");
    Result best = null;
    for (int r = 0; r < settings.repeat(); r++) {
      Result result = run(r == 0 ? settings.warmup() : 0, settings.steps());
      out.printf(
          "%8d %10.0f %8.3fms %8.3fms %10.3fms %8.3fms%n",
          result.steps(),
          result.stepsPerSecond(),
          result.physicsMs(),
          result.drawMs(),
          result.downscaleMs(),
          result.otherMs());
      out.flush();
      if (best == null || result.stepsPerSecond() > best.stepsPerSecond()) {
        best = result;
      }
    }
    Figures figures =
        new Figures()
            .add(
                "env.steps-per-second",
                best.stepsPerSecond(),
                "steps/s",
                "physics-alone",
                1e3 / best.physicsMs());
    figures.print(out);
    return figures;
  }

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
