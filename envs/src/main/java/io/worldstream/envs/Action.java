package io.worldstream.envs;

/** An action: a vector of reals for continuous environments, an index for discrete ones. */
public sealed interface Action {

  /** A point in a {@link ActionSpec.Box}. */
  record Continuous(double[] values) implements Action {
    public Continuous {
      values = values.clone();
    }

    public double get(int i) {
      return values[i];
    }

    public int size() {
      return values.length;
    }
  }

  /** One of the n choices of an {@link ActionSpec.Discrete}. */
  record Discrete(int index) implements Action {}

  static Continuous of(double... values) {
    return new Continuous(values);
  }

  static Discrete discrete(int index) {
    return new Discrete(index);
  }
}
