package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class CheckCadenceTest {

  private static final EvaluatorSettings EVERY_10_OF_8 =
      EvaluatorSettings.builder().rolloutsPerCandidate(8).realCheckEvery(10).build();

  @Test
  void generationsOfAllTheirDreamsAreCheckedEveryTenth() {
    assertThat(checked(new CheckCadence(EVERY_10_OF_8), 30, g -> 8)).containsExactly(10, 20, 30);
  }

  @Test
  void generationsOfHalfTheDreamsCountForHalf() {
    assertThat(checked(new CheckCadence(EVERY_10_OF_8), 40, g -> 4)).containsExactly(20, 40);
    // Ten generations of four dreams, then the search drives and scores on eight: the check after
    // 40 + 5 × 8 dreams is the 15th generation's.
    assertThat(checked(new CheckCadence(EVERY_10_OF_8), 25, g -> g <= 10 ? 4 : 8))
        .containsExactly(15, 25);
  }

  @Test
  void noCheckWhenNeverAsked() {
    var never = EvaluatorSettings.builder().realCheck(0, List.of()).build();
    assertThat(checked(new CheckCadence(never), 50, g -> 1)).isEmpty();
  }

  /** The generations, counted from 1, after which {@code cadence} checks. */
  private static List<Integer> checked(
      CheckCadence cadence, int generations, IntUnaryOperator rollouts) {
    List<Integer> due = new ArrayList<>();
    for (int g = 1; g <= generations; g++) {
      if (cadence.dueAfter(rollouts.applyAsInt(g))) {
        due.add(g);
      }
    }
    return due;
  }
}
