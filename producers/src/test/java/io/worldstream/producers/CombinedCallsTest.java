package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CombinedCallsTest {

  @Test
  void callsAtOnceForAThreadAlone() {
    List<List<Integer>> calls = new ArrayList<>();
    CombinedCalls<Integer, Integer> doubled =
        new CombinedCalls<>(
            inputs -> {
              calls.add(inputs);
              return inputs.stream().map(i -> 2 * i).toList();
            });

    assertThat(doubled.apply(3)).isEqualTo(6);
    assertThat(doubled.apply(5)).isEqualTo(10);
    assertThat(calls).containsExactly(List.of(3), List.of(5));
  }

  @Test
  void runsTheInputsThatArriveDuringACallAsOneCallAndAnswersEachItsOwn() throws Exception {
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    CountDownLatch firstCallStarted = new CountDownLatch(1);
    CombinedCalls<Integer, Integer>[] doubled = new CombinedCalls[1];
    doubled[0] =
        new CombinedCalls<>(
            inputs -> {
              calls.add(inputs);
              if (calls.size() == 1) {
                firstCallStarted.countDown();
                // Hold the first call until the three other threads wait behind it.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (doubled[0].waiting() < 3 && System.nanoTime() < deadline) {
                  Thread.onSpinWait();
                }
              }
              return inputs.stream().map(i -> 2 * i).toList();
            });
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      Future<Integer> first = threads.submit(() -> doubled[0].apply(1));
      assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<Integer>> others = new ArrayList<>();
      for (int i = 2; i <= 4; i++) {
        int input = i;
        others.add(threads.submit(() -> doubled[0].apply(input)));
      }

      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      for (int i = 0; i < 3; i++) {
        assertThat(others.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2 * (i + 2));
      }
      assertThat(calls).hasSize(2);
      assertThat(calls.get(0)).containsExactly(1);
      assertThat(calls.get(1)).containsExactlyInAnyOrder(2, 3, 4);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void failsEveryInputOfAFailedCallAndCallsAgainAfterwards() {
    boolean[] fail = {true};
    CombinedCalls<Integer, Integer> flaky =
        new CombinedCalls<>(
            inputs -> {
              if (fail[0]) {
                throw new IllegalArgumentException("bad model");
              }
              return inputs;
            });

    assertThatThrownBy(() -> flaky.apply(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad model");
    fail[0] = false;
    assertThat(flaky.apply(7)).isEqualTo(7);
  }

  @Test
  void refusesACallThatAnswersTheWrongNumberOfInputs() {
    CombinedCalls<Integer, Integer> short_ = new CombinedCalls<>(inputs -> List.of());

    assertThatThrownBy(() -> short_.apply(1)).hasMessageContaining("0 outputs for 1 inputs");
  }
}
