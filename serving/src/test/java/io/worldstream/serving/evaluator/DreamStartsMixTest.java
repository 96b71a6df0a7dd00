package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How the search's dream starts divide between episodes' first steps and later states. */
class DreamStartsMixTest {

  private static List<Integer> numbered(int from, int count) {
    return IntStream.range(from, from + count).boxed().toList();
  }

  @Test
  void aShareOfZeroOrNoLaterStatesKeepsEveryFirstStep() {
    List<Integer> first = numbered(0, 10);
    assertThat(DreamStarts.mix(first, numbered(100, 50), 0)).isEqualTo(first);
    assertThat(DreamStarts.mix(first, List.of(), 0.5)).isEqualTo(first);
  }

  @Test
  void theShareHoldsAndTheNewestOfEachAreChosen() {
    List<Integer> first = numbered(0, 100);
    List<Integer> later = numbered(1000, 400);

    List<Integer> half = DreamStarts.mix(first, later, 0.5);
    assertThat(half).hasSize(200);
    assertThat(half.subList(0, 100)).isEqualTo(first);
    assertThat(half.subList(100, 200)).isEqualTo(numbered(1300, 100));

    List<Integer> quarter = DreamStarts.mix(first, later, 0.25);
    assertThat(quarter.stream().filter(i -> i >= 1000)).hasSize(33);
    assertThat(quarter.stream().filter(i -> i < 1000)).hasSize(100);
  }

  @Test
  void fewLaterStatesShrinkThePoolRatherThanTheShare() {
    List<Integer> mixed = DreamStarts.mix(numbered(0, 100), numbered(1000, 10), 0.5);
    assertThat(mixed).hasSize(20);
    assertThat(mixed.subList(0, 10)).isEqualTo(numbered(90, 10));
    assertThat(mixed.subList(10, 20)).isEqualTo(numbered(1000, 10));
  }
}
