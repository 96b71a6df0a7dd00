package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FollowedLineageTest {

  private static Checkpoint checkpoint(long version) {
    return Checkpoint.newBuilder()
        .setLineage("default")
        .setVersion(version)
        .setVaeVersion("v")
        .setStepsTrained(0)
        .setEpisodesTrained(0)
        .setGradientSteps(0)
        .setTrainLoss(1)
        .setOnnxModel(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setSha256("s")
        .setCreatedTime(Instant.EPOCH)
        .build();
  }

  private static ControllerUpdate controller(long version, long checkpointVersion) {
    return ControllerUpdate.newBuilder(ControllerPolicyTest.controller(version, 0f))
        .setCheckpointVersion(checkpointVersion)
        .build();
  }

  @Test
  void shouldForgetCheckpointsOlderThanTheNewestControllersOwn() {
    FollowedLineage followed = new FollowedLineage(64);
    for (long v = 1; v <= 5; v++) {
      followed.accept(checkpoint(v));
    }
    assertThat(followed.accept(controller(1, 3))).isTrue();
    assertThat(followed.keptVersions()).containsExactly(3L, 4L, 5L);
    assertThat(followed.checkpoint(3)).isNotNull();
    assertThat(followed.checkpoint(2)).isNull();

    assertThat(followed.accept(controller(0, 5))).as("an older controller").isFalse();
    assertThat(followed.latest().getVersion()).isEqualTo(1);
    assertThat(followed.keptVersions()).containsExactly(3L, 4L, 5L);
  }

  @Test
  void shouldKeepACheckpointThatArrivesAfterTheControllerNamingIt() {
    // The two topics are read side by side: a controller may come before its checkpoint.
    FollowedLineage followed = new FollowedLineage(64);
    followed.accept(controller(7, 10));
    followed.accept(checkpoint(9));
    followed.accept(checkpoint(10));

    assertThat(followed.keptVersions()).containsExactly(10L);
  }

  @Test
  void shouldKeepNoMoreThanItsCapacityTheNewestAndTheControllersOwn() {
    // A worker that runs for days while the evaluator lags: memory stays bounded.
    FollowedLineage followed = new FollowedLineage(4);
    followed.accept(controller(1, 1));
    for (long v = 1; v <= 1_000; v++) {
      followed.accept(checkpoint(v));
    }

    assertThat(followed.keptVersions()).containsExactly(1L, 998L, 999L, 1000L);
  }

  @Test
  void shouldKeepTheCheckpointOfAControllerThatStaysInServiceForLong() {
    // The evaluator keeps a controller in service until one drives better: hours, at times.
    FollowedLineage followed = new FollowedLineage(4);
    for (long v = 1; v <= 1_000; v++) {
      followed.accept(checkpoint(v));
      if (v == 10) {
        followed.accept(controller(1, 10));
      }
    }
    assertThat(followed.checkpoint(10)).isNotNull();
    assertThat(followed.keptVersions()).containsExactly(10L, 998L, 999L, 1000L);

    followed.accept(controller(2, 999));
    assertThat(followed.keptVersions()).containsExactly(999L, 1000L);
  }

  @Test
  void shouldKeepTheModelItHasWhenTheVersionIsThinnedLater() {
    // Read from the beginning, a version's full record comes first and its thinned metadata later.
    FollowedLineage followed = new FollowedLineage(64);
    followed.accept(checkpoint(1));
    followed.accept(
        Checkpoint.newBuilder(checkpoint(1))
            .setOnnxModel(ByteBuffer.allocate(0))
            .setThinned("thinned")
            .build());
    followed.accept(
        Checkpoint.newBuilder(checkpoint(2))
            .setOnnxModel(ByteBuffer.allocate(0))
            .setThinned("thinned")
            .build());

    assertThat(followed.keptVersions()).containsExactly(1L);
    assertThat(followed.checkpoint(1).getOnnxModel().remaining()).isEqualTo(3);
  }
}
