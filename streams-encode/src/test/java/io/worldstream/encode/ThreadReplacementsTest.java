package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How many failed stream threads the encoder replaces before it stops. */
class ThreadReplacementsTest {

  private final AtomicLong clock = new AtomicLong();
  private final ThreadReplacements replacements =
      new ThreadReplacements(3, Duration.ofMinutes(10), clock::get);

  private void minutesPass(long minutes) {
    clock.addAndGet(Duration.ofMinutes(minutes).toNanos());
  }

  @Test
  void replacesUpToTheLimitWithinTheWindowAndThenStops() {
    assertThat(replacements.replace()).isTrue();
    minutesPass(1);
    assertThat(replacements.replace()).isTrue();
    minutesPass(1);
    assertThat(replacements.replace()).isTrue();
    minutesPass(1);
    assertThat(replacements.replace()).as("a fourth failure within 10 minutes").isFalse();
    assertThat(replacements.recent()).isEqualTo(3);
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    replacements.replace();
    minutesPass(4);
    replacements.replace();
    replacements.replace();
    minutesPass(6);
    assertThat(replacements.recent()).isEqualTo(3);
    assertThat(replacements.replace()).as("the first failure is 10 minutes old").isTrue();
    assertThat(replacements.recent()).isEqualTo(3);
    assertThat(replacements.replace()).isFalse();
  }

  @Test
  void aRefusalIsNotCountedAsAReplacement() {
    for (int i = 0; i < 3; i++) {
      replacements.replace();
    }
    assertThat(replacements.replace()).isFalse();
    assertThat(replacements.replace()).isFalse();
    minutesPass(10);
    assertThat(replacements.replace()).as("the window has passed").isTrue();
    assertThat(replacements.recent()).isEqualTo(1);
  }

  @Test
  void noneAllowedStopsAtTheFirstFailure() {
    ThreadReplacements never = new ThreadReplacements(0, Duration.ofMinutes(10), clock::get);
    assertThat(never.replace()).isFalse();
    assertThat(never.describe()).isEqualTo("0 within 10 min");
  }
}
