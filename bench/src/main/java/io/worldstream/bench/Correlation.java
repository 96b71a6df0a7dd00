package io.worldstream.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How well one series predicts another: Pearson's r (linear) and Spearman's ρ (Pearson's r of the
 * ranks, ties sharing their mean rank), the figure that says whether a score orders things as the
 * truth does.
 */
public final class Correlation {

  private Correlation() {}

  /** Pearson's r of paired values; NaN when either series is constant or there are under two. */
  public static double pearson(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "paired series differ in length: " + x.length + " and " + y.length);
    }
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = Arrays.stream(x).average().orElseThrow();
    double meanY = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - meanX;
      double dy = y[i] - meanY;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
  }

  /** Spearman's ρ: Pearson's r of the two series' ranks. */
  public static double spearman(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  /** Ranks from 1, tied values sharing the mean of the ranks they span. */
  static double[] ranks(double[] values) {
    Integer[] order =
        IntStream.range(0, values.length)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> values[i]))
            .toArray(Integer[]::new);
    double[] ranks = new double[values.length];
    for (int start = 0; start < order.length; ) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double shared = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = shared;
      }
      start = end + 1;
    }
    return ranks;
  }
}
