package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LearnerSettingsTest {

  private static LearnerSettings with(float learningRate, double maxGradNorm, double dropout) {
    return new LearnerSettings(
        16,
        1.0,
        100,
        10,
        20,
        200,
        Duration.ofSeconds(30),
        learningRate,
        maxGradNorm,
        0,
        1,
        dropout);
  }

  @Test
  void shouldRefuseALearningRateOrGradientBoundThatIsNotFiniteAndPositive() {
    assertThatThrownBy(() -> with(Float.NaN, 1, 0.1))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> with(0, 1, 0.1)).hasMessageContaining("learning rate");
    assertThatThrownBy(() -> with(1e-3f, Double.POSITIVE_INFINITY, 0.1))
        .hasMessageContaining("gradient norm");
    assertThatThrownBy(() -> with(1e-3f, -1, 0.1)).hasMessageContaining("gradient norm");
  }

  @Test
  void shouldRefuseALineageExpiryThatIsNotPositive() {
    assertThatThrownBy(
            () ->
                new LearnerSettings(
                    16,
                    1.0,
                    100,
                    10,
                    20,
                    200,
                    Duration.ofSeconds(30),
                    1e-3f,
                    1.0,
                    0,
                    1,
                    0.1,
                    Duration.ZERO))
        .hasMessageContaining("lineage expiry");
  }

  @Test
  void shouldRefuseADropoutOutsideZeroToOne() {
    assertThatThrownBy(() -> with(1e-3f, 1, 1)).hasMessageContaining("dropout");
    assertThatThrownBy(() -> with(1e-3f, 1, -0.1)).hasMessageContaining("dropout");
  }
}
