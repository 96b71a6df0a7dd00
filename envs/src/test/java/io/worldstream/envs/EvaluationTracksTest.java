package io.worldstream.envs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluationTracksTest {

  @Test
  void shouldReserveEveryEvaluationTrack() {
    assertThat(EvaluationTracks.seeds(3))
        .containsExactly(2_000_000_000L, 2_000_000_001L, 2_000_000_002L);
    assertThat(EvaluationTracks.seeds(EvaluationTracks.COUNT))
        .allMatch(EvaluationTracks::isReserved);
    assertThat(EvaluationTracks.isReserved(EvaluationTracks.FIRST - 1)).isFalse();
    assertThatThrownBy(() -> EvaluationTracks.seeds(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepSelectionTracksReservedAndApartFromTheEvaluationTracks() {
    var evaluation = EvaluationTracks.seeds(EvaluationTracks.COUNT);
    var selection = EvaluationTracks.selectionSeeds(EvaluationTracks.COUNT);
    assertThat(selection)
        .allMatch(EvaluationTracks::isReserved)
        .doesNotContainAnyElementsOf(evaluation);
    assertThat(selection.get(0)).isEqualTo(evaluation.get(evaluation.size() - 1) + 1);
    assertThat(selection.get(selection.size() - 1)).isLessThan((long) Integer.MAX_VALUE);
    assertThatThrownBy(() -> EvaluationTracks.selectionSeeds(EvaluationTracks.COUNT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepTrainingSeedsOffTheEvaluationTracks() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      assertThat(EvaluationTracks.isReserved(EvaluationTracks.trainingSeed(random))).isFalse();
    }
    assertThat(EvaluationTracks.trainingSeed(EvaluationTracks.FIRST - 2, 1))
        .isEqualTo(EvaluationTracks.FIRST - 1);
    assertThat(EvaluationTracks.trainingSeed(EvaluationTracks.FIRST - 2, 2)).isZero();
  }
}
