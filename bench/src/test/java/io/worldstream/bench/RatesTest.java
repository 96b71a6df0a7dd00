package io.worldstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RatesTest {

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldCountTheItemsOfEveryCallPerSecond() {
    // A call of 5 ms or more handles 1,000 items: at most 200,000 items/s, and even on a busy
    // machine well over 10 calls a second. A rate per call rather than per item would be ≤ 200.
    double rate =
        Rates.perSecond(() -> sleep(5), 1_000, Duration.ofMillis(20), Duration.ofMillis(300));

    assertThat(rate).isBetween(10_000.0, 200_000.0);
  }

  @Test
  void shouldTakeTheMedianOfAtLeastFiveCallsAfterTheWarmUp() {
    AtomicInteger calls = new AtomicInteger();
    // Every third call is slow: the median of the measured calls is a fast one.
    double median =
        Rates.medianMillis(
            () -> sleep(calls.incrementAndGet() % 3 == 0 ? 60 : 2), Duration.ZERO, Duration.ZERO);

    assertThat(calls.get()).as("five calls measured even with no time to measure").isEqualTo(5);
    assertThat(median).isBetween(2.0, 50.0);
  }
}
