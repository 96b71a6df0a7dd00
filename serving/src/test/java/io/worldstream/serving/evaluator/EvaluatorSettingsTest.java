package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.envs.EvaluationTracks;
import io.worldstream.service.InvalidSettingException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorSettingsTest {

  @Test
  void aWouldBeBestIsRecheckedOnTheSelectionTracksAfterTheChecksOwn() {
    EvaluatorSettings settings = EvaluatorSettings.builder().realCheck(5, 4).build();
    List<Long> selection = EvaluationTracks.selectionSeeds(8);
    assertThat(settings.realSeeds()).isEqualTo(selection.subList(0, 4));
    assertThat(settings.recheckSeeds()).isEqualTo(selection.subList(4, 8));

    EvaluatorSettings defaults = EvaluatorSettings.defaults();
    assertThat(defaults.realSeeds()).hasSize(EvaluatorSettings.DEFAULT_REAL_TRACKS);
    assertThat(defaults.recheckSeeds())
        .hasSize(EvaluatorSettings.DEFAULT_REAL_TRACKS)
        .doesNotContainAnyElementsOf(defaults.realSeeds())
        .allMatch(EvaluationTracks::isReserved);
  }

  @Test
  void explicitSeedsAreNotRecheckedUnlessAskedAndNeverOnTheCheckedTracks() {
    assertThat(EvaluatorSettings.builder().realCheck(2, List.of(1L)).build().recheckSeeds())
        .isEmpty();
    assertThatThrownBy(
            () ->
                EvaluatorSettings.builder()
                    .realCheck(2, List.of(1L, 2L))
                    .recheckSeeds(List.of(2L, 3L))
                    .build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("other tracks than the check");
  }

  @Test
  void untilAControllerDrivesTheSearchDreamsAsManyRolloutsAsAfterUnlessToldFewer() {
    assertThat(EvaluatorSettings.builder().rolloutsPerCandidate(8).build().rolloutsUntilDriving())
        .isEqualTo(8);
    assertThat(
            EvaluatorSettings.builder()
                .rolloutsPerCandidate(8)
                .rolloutsUntilDriving(4)
                .build()
                .rolloutsUntilDriving())
        .isEqualTo(4);
    assertThatThrownBy(() -> EvaluatorSettings.builder().rolloutsUntilDriving(0).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("rollouts per candidate until a controller drives");
  }

  @Test
  void theDreamDropsOutFromTheStartUnlessToldAReturnToWaitFor() {
    assertThat(EvaluatorSettings.defaults().dreamDropoutFrom()).isZero();
    assertThatThrownBy(() -> EvaluatorSettings.builder().dreamDropoutFrom(-1).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("the real return from which the dream drops out");
  }

  @Test
  void dreamsStartMidEpisodeFromTheStartUnlessToldAReturnToWaitFor() {
    assertThat(EvaluatorSettings.defaults().midEpisodeStartsFrom()).isZero();
    assertThatThrownBy(() -> EvaluatorSettings.builder().midEpisodeStartsFrom(-1).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("the real return from which dreams start mid-episode");
  }

  @Test
  void theChecksFeedTheModelOnlyWhenAskedAndOnlyWhenThereAreChecks() {
    assertThat(EvaluatorSettings.defaults().learnFromChecks()).isFalse();
    assertThat(EvaluatorSettings.builder().learnFromChecks(true).build().learnFromChecks())
        .isTrue();
    assertThatThrownBy(
            () -> EvaluatorSettings.builder().realCheckEvery(0).learnFromChecks(true).build())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("learning from the real checks needs the real check");
  }
}
