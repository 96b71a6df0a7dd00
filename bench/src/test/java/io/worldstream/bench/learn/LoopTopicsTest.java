package io.worldstream.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopTopicsTest {

  @Test
  void shouldCountTheStepsTakenByATimeIncludingThoseTakenAtIt() {
    long[] times = {10, 20, 20, 30, 45};

    assertThat(LoopTopics.envStepsBy(times, 5)).isZero();
    assertThat(LoopTopics.envStepsBy(times, 10)).isEqualTo(1);
    assertThat(LoopTopics.envStepsBy(times, 20)).isEqualTo(3);
    assertThat(LoopTopics.envStepsBy(times, 44)).isEqualTo(4);
    assertThat(LoopTopics.envStepsBy(times, 1_000)).isEqualTo(5);
    assertThat(LoopTopics.envStepsBy(new long[0], 1_000)).isZero();
  }
}
