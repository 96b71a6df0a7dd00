package io.worldstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CorrelationTest {

  @Test
  void shouldGivePearsonsRAsItsDefinitionWorkedByHand() {
    // Deviations (-2,-1,0,1,2) and (-2,0,1,0,1): Σxy = 6, Σx² = 10, Σy² = 6, r = 6 / √60.
    assertThat(Correlation.pearson(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5}))
        .isCloseTo(6 / Math.sqrt(60), within(1e-12));
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {7, 9, 11}))
        .isCloseTo(1, within(1e-12));
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
        .isCloseTo(-1, within(1e-12));
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
  }

  @Test
  void shouldAgreeWithSpearmansClosedFormWithoutTies() {
    double[] x = {10, 20, 30, 40, 50, 60};
    double[] y = {1.5, 3, 2, 5, 4, -1};
    // Ranks of y: 2, 4, 3, 6, 5, 1; d = -1, -2, 0, -2, 0, 5; Σd² = 34; ρ = 1 − 6·34 / (6·35).
    assertThat(Correlation.spearman(x, y)).isCloseTo(1 - 6.0 * 34 / (6 * 35), within(1e-12));
    double[] monotone = {1, 8, 27, 64, 125, 216};
    assertThat(Correlation.spearman(x, monotone))
        .as("any increasing function ranks alike")
        .isCloseTo(1, within(1e-12));
  }

  @Test
  void shouldLetTiedValuesShareTheirMeanRank() {
    assertThat(Correlation.ranks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
  }
}
