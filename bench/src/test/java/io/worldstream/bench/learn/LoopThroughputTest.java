package io.worldstream.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopThroughputTest {

  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void shouldCountWhatTheLoopDidInsideTheWindowOnly() {
    // A step every 10 ms for 5 minutes: 100 per second.
    long[] stepTimes = new long[30_000];
    for (int i = 0; i < stepTimes.length; i++) {
      stepTimes[i] = T0.toEpochMilli() + 10L * i;
    }
    // A generation every 6 s from the first minute on.
    List<ControllerUpdate> controllers =
        java.util.stream.IntStream.range(0, 40)
            .mapToObj(
                i -> LearningCurveTest.controller(i + 1, T0.plusSeconds(60 + 6L * i).toString()))
            .toList();
    // A checkpoint every 30 s, 300 gradient steps apart.
    List<Checkpoint> checkpoints =
        java.util.stream.IntStream.range(1, 10)
            .mapToObj(i -> checkpoint(i, 300L * i, T0.plusSeconds(30L * i)))
            .toList();

    LoopThroughput t =
        LoopThroughput.of(
            stepTimes, controllers, checkpoints, T0.plusSeconds(60), T0.plusSeconds(180));

    assertThat(t.window()).isEqualTo(Duration.ofMinutes(2));
    assertThat(t.envSteps()).isEqualTo(12_000);
    assertThat(t.envStepsPerSecond()).isEqualTo(100.0);
    // Generations published after 60 s up to 180 s: at 66, 72, …, 180.
    assertThat(t.generations()).isEqualTo(20);
    assertThat(t.generationsPerMinute()).isEqualTo(10.0);
    // The checkpoints of 60 s (600 steps) and 180 s (1,800 steps).
    assertThat(t.gradientSteps()).isEqualTo(1_200);
    assertThat(t.gradientStepsPerMinute()).isEqualTo(600.0);
  }

  @Test
  void shouldCountNoGradientStepsBeforeTheFirstCheckpoint() {
    List<Checkpoint> checkpoints = List.of(checkpoint(1, 200, T0.plusSeconds(90)));
    assertThat(LoopThroughput.gradientStepsBy(checkpoints, T0.plusSeconds(60))).isZero();
    assertThat(LoopThroughput.gradientStepsBy(checkpoints, T0.plusSeconds(90))).isEqualTo(200);
  }

  @Test
  void shouldRefuseAWindowThatDoesNotEndAfterItStarts() {
    assertThatThrownBy(() -> LoopThroughput.of(new long[0], List.of(), List.of(), T0, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Checkpoint checkpoint(long version, long gradientSteps, Instant createdAt) {
    return Checkpoint.newBuilder()
        .setLineage("default")
        .setVersion(version)
        .setVaeVersion("v")
        .setStepsTrained(0)
        .setEpisodesTrained(0)
        .setTrainLoss(0)
        .setGradientSteps(gradientSteps)
        .setCreatedTime(createdAt)
        .setSha256("")
        .setOnnxModel(ByteBuffer.allocate(0))
        .build();
  }
}
