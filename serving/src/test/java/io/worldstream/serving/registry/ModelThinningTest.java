package io.worldstream.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ModelThinningTest {

  private final ModelThinning rule = new ModelThinning(64, 8, Duration.ofMinutes(1));

  @Test
  void shouldKeepTheNewestVersionsModels() {
    long newest = 1_000;
    LongStream.rangeClosed(newest - 63, newest)
        .forEach(v -> assertThat(rule.keepsByAge(v, newest)).as("v%d", v).isTrue());
    assertThat(rule.keepsByAge(newest - 64, newest)).as("an even version just older").isTrue();
    assertThat(rule.keepsByAge(newest - 65, newest)).as("an odd one").isFalse();
  }

  @Test
  void shouldNeverNeedAgainAModelItOnceDropped() {
    for (long version = 1; version <= 300; version++) {
      boolean dropped = false;
      for (long newest = version; newest <= version + 10_000; newest++) {
        boolean kept = rule.keepsByAge(version, newest);
        assertThat(dropped && kept).as("v%d kept again at newest v%d", version, newest).isFalse();
        dropped |= !kept;
      }
    }
  }

  @Test
  void shouldKeepHalfTheNewestCountPerDoublingOfAge() {
    // A week of a version every 15 s: 64 + 32 log2(40,320 / 64) ≈ 362 models.
    long newest = 40_320;
    long kept = LongStream.rangeClosed(1, newest).filter(v -> rule.keepsByAge(v, newest)).count();
    double expected = 64 + 32 * Math.log(newest / 64.0) / Math.log(2);
    assertThat((double) kept).isBetween(expected - 32, expected + 32);
  }

  @Test
  void shouldRefuseARuleThatKeepsNothingOrNeverRuns() {
    assertThatThrownBy(() -> new ModelThinning(0, 8, Duration.ofMinutes(1)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("newest models kept");
    assertThatThrownBy(() -> new ModelThinning(64, -1, Duration.ofMinutes(1)))
        .isInstanceOf(InvalidSettingException.class);
    assertThatThrownBy(() -> new ModelThinning(64, 8, Duration.ZERO))
        .isInstanceOf(InvalidSettingException.class);
  }
}
