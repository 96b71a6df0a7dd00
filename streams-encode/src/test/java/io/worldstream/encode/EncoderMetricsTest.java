package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EncoderMetricsTest {

  @Test
  void shouldReportNearestRankLatencyQuantilesPerInterval() {
    EncoderMetrics metrics = new EncoderMetrics();
    long[] eventTimes = new long[100];
    for (int i = 0; i < 100; i++) {
      eventTimes[i] = 1_000 - (i + 1); // latencies 1..100 ms at emit time 1000
    }
    metrics.batch(eventTimes, 100, 1_000, 5_000_000);

    EncoderMetrics.Interval interval = metrics.interval();
    assertThat(interval.latentsOut()).isEqualTo(100);
    assertThat(interval.latencyQuantile(0.5)).isEqualTo(50);
    assertThat(interval.latencyQuantile(0.99)).isEqualTo(99);
    assertThat(interval.latencyQuantile(1.0)).isEqualTo(100);
    assertThat(interval.meanBatch()).isEqualTo(100.0);
    assertThat(interval.encodeMillis()).isEqualTo(5.0);

    EncoderMetrics.Interval next = metrics.interval();
    assertThat(next.latentsOut()).isZero();
    assertThat(next.latencyQuantile(0.5)).isEqualTo(-1);
    assertThat(metrics.latentsOut()).as("totals keep counting").isEqualTo(100);
  }

  @Test
  void shouldCountRejectionsByReason() {
    EncoderMetrics metrics = new EncoderMetrics();
    metrics.rejected(Rejection.BAD_MAGIC);
    metrics.rejected(Rejection.BAD_MAGIC);
    metrics.rejected(Rejection.NON_FINITE_REWARD);

    assertThat(metrics.rejectedTotal()).isEqualTo(3);
    assertThat(metrics.rejectedByReason())
        .containsEntry(Rejection.BAD_MAGIC, 2L)
        .containsEntry(Rejection.NON_FINITE_REWARD, 1L)
        .hasSize(2);
  }
}
