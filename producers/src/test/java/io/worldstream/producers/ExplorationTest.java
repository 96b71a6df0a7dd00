package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.service.InvalidSettingException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplorationTest {

  @Test
  void shouldAddNoiseWithTheStatedDeviationAndStepToStepCorrelation() {
    // An AR(1) process x' = ρx + σ√(1−ρ²)ε started from N(0, σ²) stays N(0, σ²), and its lag-one
    // autocorrelation is ρ. Measured on 200,000 steps of outputs at 0 (far from the clip at ±1).
    Exploration.Noise noise = new Exploration(1, 0.2, 0.9).noise(new SplittableRandom(3));
    noise.reset();
    assertThat(noise.active()).isTrue();
    int n = 200_000;
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      double[] outputs = new double[3];
      noise.perturb(outputs);
      x[t] = outputs[1];
    }
    double mean = 0;
    for (double v : x) {
      mean += v / n;
    }
    double variance = 0;
    double lagged = 0;
    for (int t = 0; t < n; t++) {
      variance += (x[t] - mean) * (x[t] - mean) / n;
      if (t > 0) {
        lagged += (x[t] - mean) * (x[t - 1] - mean) / (n - 1);
      }
    }
    assertThat(mean).isCloseTo(0, within(0.01));
    assertThat(Math.sqrt(variance)).isCloseTo(0.2, within(0.005));
    assertThat(lagged / variance).isCloseTo(0.9, within(0.01));
  }

  @Test
  void shouldKeepOutputsInTheirRange() {
    Exploration.Noise noise = new Exploration(1, 2, 0).noise(new SplittableRandom(5));
    noise.reset();
    for (int t = 0; t < 1_000; t++) {
      double[] outputs = {0.99, -0.99, 0};
      noise.perturb(outputs);
      for (double o : outputs) {
        assertThat(o).isBetween(-1.0, 1.0);
      }
    }
  }

  @Test
  void shouldExploreInTheStatedShareOfEpisodes() {
    Exploration.Noise noise = new Exploration(0.25, 0.3, 0.9).noise(new SplittableRandom(11));
    int exploring = 0;
    for (int episode = 0; episode < 10_000; episode++) {
      noise.reset();
      exploring += noise.active() ? 1 : 0;
    }
    assertThat(exploring / 10_000.0).isCloseTo(0.25, within(0.015));
  }

  @Test
  void shouldLeaveTheOutputsAloneWhenItDoesNotExplore() {
    for (Exploration none : new Exploration[] {Exploration.NONE, new Exploration(1, 0, 0.9)}) {
      Exploration.Noise noise = none.noise(new SplittableRandom(1));
      noise.reset();
      double[] outputs = {0.3, -0.2, 0.1};
      noise.perturb(outputs);
      assertThat(noise.active()).isFalse();
      assertThat(outputs).containsExactly(0.3, -0.2, 0.1);
    }
  }

  @Test
  void shouldRefuseSettingsOutsideTheirRange() {
    assertThatThrownBy(() -> new Exploration(1.5, 0.3, 0.9))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> new Exploration(0.5, -0.1, 0.9))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("non-negative");
    assertThatThrownBy(() -> new Exploration(0.5, 0.3, 1))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("below 1");
  }
}
