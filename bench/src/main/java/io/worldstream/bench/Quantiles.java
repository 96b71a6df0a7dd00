package io.worldstream.bench;

import java.util.Arrays;

/** Quantiles of measured values by the nearest-rank method: every quantile is a value seen. */
public final class Quantiles {

  private final long[] sorted;

  public Quantiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public int count() {
    return sorted.length;
  }

  /** The value at rank ⌈q·n⌉, or -1 when there are none. */
  public long at(double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public long max() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
  }
}
