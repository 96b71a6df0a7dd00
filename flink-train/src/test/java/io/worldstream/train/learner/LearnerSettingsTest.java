package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LearnerSettingsTest {

  private static LearnerSettings with(float learningRate, double maxGradNorm, double dropout) {
    return LearnerSettings.builder()
        .replayCapacity(100)
        .heldOutCapacity(20)
        .learningRate(learningRate)
        .maxGradNorm(maxGradNorm)
        .dropout(dropout)
        .build();
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
    assertThatThrownBy(() -> LearnerSettings.builder().lineageExpiry(Duration.ZERO).build())
        .hasMessageContaining("lineage expiry");
  }

  @Test
  void shouldRefuseADropoutOutsideZeroToOne() {
    assertThatThrownBy(() -> with(1e-3f, 1, 1)).hasMessageContaining("dropout");
    assertThatThrownBy(() -> with(1e-3f, 1, -0.1)).hasMessageContaining("dropout");
  }
}
