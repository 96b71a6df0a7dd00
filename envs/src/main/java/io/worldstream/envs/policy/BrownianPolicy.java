package io.worldstream.envs.policy;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Pixels;
import java.util.SplittableRandom;

/**
 * Smoothed random actions for data collection, as the World Models re-implementations collect
 * CarRacing rollouts (ctallec/world-models' {@code sample_continuous_policy}): each episode starts
 * from a uniform action, then every step adds √dt · N(0, 1) per dimension and clips to the box. The
 * car drives in long, plausible arcs instead of jittering in place, so the data covers the track.
 */
public final class BrownianPolicy implements Policy {

  public static final String ID = "brownian";

  /** CarRacing's time step. */
  public static final double DEFAULT_DT = 1.0 / 50;

  private final ActionSpec.Box box;
  private final double scale;
  private final SplittableRandom random;
  private double[] current;

  public BrownianPolicy(ActionSpec spec, long seed, double dt) {
    if (!(spec instanceof ActionSpec.Box b)) {
      throw new IllegalArgumentException(
          "the brownian policy needs continuous actions, not " + spec);
    }
    this.box = b;
    this.scale = Math.sqrt(dt);
    this.random = new SplittableRandom(seed);
  }

  public BrownianPolicy(ActionSpec spec, long seed) {
    this(spec, seed, DEFAULT_DT);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public long version() {
    return 0;
  }

  @Override
  public void reset() {
    current = null;
  }

  @Override
  public Action act(Pixels observation) {
    if (current == null) {
      current = new double[box.size()];
      for (int i = 0; i < current.length; i++) {
        current[i] = box.low()[i] + random.nextDouble() * (box.high()[i] - box.low()[i]);
      }
    } else {
      for (int i = 0; i < current.length; i++) {
        double next = current[i] + scale * random.nextGaussian();
        current[i] = Math.min(box.high()[i], Math.max(box.low()[i], next));
      }
    }
    return Action.of(current);
  }
}
