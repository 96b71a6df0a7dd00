package io.worldstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantilesTest {

  @Test
  void nearestRankGivesAValueSeenAtRankCeilQn() {
    // Unsorted on purpose: 1..10 in some order.
    Quantiles q = new Quantiles(new long[] {7, 3, 10, 1, 5, 9, 2, 8, 4, 6});
    assertThat(q.count()).isEqualTo(10);
    assertThat(q.at(0.5)).isEqualTo(5); // rank ⌈5⌉ = 5
    assertThat(q.at(0.51)).isEqualTo(6); // rank ⌈5.1⌉ = 6
    assertThat(q.at(0.99)).isEqualTo(10); // rank ⌈9.9⌉ = 10
    assertThat(q.at(0.0)).as("the lowest rank is the minimum").isEqualTo(1);
    assertThat(q.at(1.0)).isEqualTo(10);
    assertThat(q.max()).isEqualTo(10);
  }

  @Test
  void leavesTheCallersValuesAloneAndSaysWhenThereAreNone() {
    long[] values = {3, 1, 2};
    new Quantiles(values);
    assertThat(values).containsExactly(3, 1, 2);
    Quantiles none = new Quantiles(new long[0]);
    assertThat(none.count()).isZero();
    assertThat(none.at(0.5)).isEqualTo(-1);
    assertThat(none.max()).isEqualTo(-1);
  }
}
