package io.worldstream.envs.policy;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Pixels;
import java.util.SplittableRandom;

/** Uniformly random actions from the action space, as Gymnasium's {@code action_space.sample()}. */
public final class RandomPolicy implements Policy {

  public static final String ID = "random";

  private final ActionSpec spec;
  private final SplittableRandom random;

  public RandomPolicy(ActionSpec spec, long seed) {
    this.spec = spec;
    this.random = new SplittableRandom(seed);
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
  public Action act(Pixels observation) {
    if (spec instanceof ActionSpec.Discrete d) {
      return Action.discrete(random.nextInt(d.n()));
    }
    ActionSpec.Box box = (ActionSpec.Box) spec;
    double[] a = new double[box.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = box.low()[i] + random.nextDouble() * (box.high()[i] - box.low()[i]);
    }
    return Action.of(a);
  }
}
