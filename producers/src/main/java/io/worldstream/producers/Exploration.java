package io.worldstream.producers;

import io.worldstream.service.InvalidSettingException;
import java.util.SplittableRandom;

/**
 * How a worker acting with a controller explores around it: in a share of its episodes the
 * controller's outputs (before they become steer, gas and brake) get smooth Gaussian noise, so the
 * world model also sees what happens a little off the controller's path — the states a slightly
 * different controller, such as the search's next candidates, will reach — and the search cannot
 * exploit what the model never saw. The other episodes act with the controller as published.
 *
 * @param episodes the share of episodes that explore, 0 to 1
 * @param noise the noise's standard deviation on each tanh output (range −1 … 1)
 * @param correlation the noise's correlation from one step to the next, 0 (white) to below 1; 0.9
 *     keeps a deviation for about ten steps (a fifth of a second)
 */
public record Exploration(double episodes, double noise, double correlation) {

  /** Act with the controller as published, every episode. */
  public static final Exploration NONE = new Exploration(0, 0, 0);

  /** Half the episodes explore, with noise of 0.3 held for about ten steps. */
  public static final Exploration DEFAULT = new Exploration(0.5, 0.3, 0.9);

  public Exploration {
    if (!(episodes >= 0 && episodes <= 1)) {
      throw new InvalidSettingException(
          "explore", "the share of exploring episodes must be between 0 and 1, not " + episodes);
    }
    if (!(noise >= 0) || !Double.isFinite(noise)) {
      throw new InvalidSettingException(
          "explore-noise", "the exploration noise must be non-negative, not " + noise);
    }
    if (!(correlation >= 0 && correlation < 1)) {
      throw new InvalidSettingException(
          "explore-correlation",
          "the noise's step-to-step correlation must be at least 0 and below 1, not "
              + correlation);
    }
  }

  /** The same exploration in another share of episodes, with another noise. */
  public Exploration with(double episodes, double noise) {
    return new Exploration(episodes, noise, correlation);
  }

  /** Whether any episode explores. */
  public boolean explores() {
    return episodes > 0 && noise > 0;
  }

  /** Noise for one environment's episodes, drawn from {@code random}. */
  Noise noise(SplittableRandom random) {
    return new Noise(this, random);
  }

  /**
   * Per-episode noise: an AR(1) process per output with stationary standard deviation {@code
   * noise}, or none in an episode that does not explore.
   */
  static final class Noise {
    private final Exploration exploration;
    private final SplittableRandom random;
    private final double innovation;
    private boolean active;
    private double[] state;

    private Noise(Exploration exploration, SplittableRandom random) {
      this.exploration = exploration;
      this.random = random;
      this.innovation =
          exploration.noise * Math.sqrt(1 - exploration.correlation * exploration.correlation);
    }

    /** Starts an episode: decides whether it explores, and starts the noise afresh. */
    void reset() {
      active = exploration.explores() && random.nextDouble() < exploration.episodes;
      state = null;
    }

    /** Whether this episode explores. */
    boolean active() {
      return active;
    }

    /** Adds this step's noise to {@code outputs} in place, clipped to −1 … 1. */
    void perturb(double[] outputs) {
      if (!active) {
        return;
      }
      if (state == null) {
        state = new double[outputs.length];
        for (int i = 0; i < state.length; i++) {
          state[i] = exploration.noise * random.nextGaussian();
        }
      } else {
        for (int i = 0; i < state.length; i++) {
          state[i] = exploration.correlation * state[i] + innovation * random.nextGaussian();
        }
      }
      for (int i = 0; i < outputs.length; i++) {
        outputs[i] = Math.max(-1, Math.min(1, outputs[i] + state[i]));
      }
    }
  }
}
