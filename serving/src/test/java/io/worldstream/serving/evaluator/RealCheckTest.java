package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.envs.Action;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.Policy;
import org.junit.jupiter.api.Test;

class RealCheckTest {

  @Test
  void shouldSummariseReturnsAsMeanAndPopulationSd() {
    RealCheck.Returns returns = new RealCheck.Returns(new double[] {2, 4, 4, 4, 5, 5, 7, 9});

    assertThat(returns.mean()).isEqualTo(5.0);
    assertThat(returns.sd()).isCloseTo(2.0, within(1e-12));
    assertThat(returns.tracks()).isEqualTo(8);
  }

  @Test
  void shouldDriveEachTrackOnceAndAgainAlike() throws Exception {
    try (RealCheck check = new RealCheck(null, EvaluationTracks.seeds(2), 2)) {
      RealCheck.Returns first = check.returns(i -> new FullThrottle(), () -> false);
      RealCheck.Returns second = check.returns(i -> new FullThrottle(), () -> false);

      assertThat(first.perTrack()).hasSize(2).containsExactly(second.perTrack());
      assertThat(first.perTrack()[0]).as("two different tracks").isNotEqualTo(first.perTrack()[1]);
    }
  }

  /** Straight ahead at full gas: leaves the track at its first bend, differently on each. */
  private static final class FullThrottle implements Policy {
    @Override
    public String id() {
      return "full-throttle";
    }

    @Override
    public long version() {
      return 0;
    }

    @Override
    public Action act(Pixels observation) {
      return Action.of(0, 1, 0);
    }
  }
}
