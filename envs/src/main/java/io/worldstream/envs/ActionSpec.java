package io.worldstream.envs;

/** The actions an environment accepts (Gymnasium's action_space). */
public sealed interface ActionSpec {

  /** Real vectors with per-dimension bounds; names say what each dimension means. */
  record Box(double[] low, double[] high, String[] names) implements ActionSpec {
    public Box {
      if (low.length != high.length || low.length != names.length) {
        throw new IllegalArgumentException("low, high and names must have the same length");
      }
      low = low.clone();
      high = high.clone();
      names = names.clone();
    }

    public int size() {
      return low.length;
    }
  }

  /** Integers 0 … n-1. */
  record Discrete(int n) implements ActionSpec {}
}
