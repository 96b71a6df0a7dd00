package io.worldstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  @Test
  void shouldFoldNumbersAndIdsSoAKindsThreadsAddUp() {
    assertThat(ThreadCpu.fold("kafka-producer-network-thread | producer-12"))
        .isEqualTo("kafka-producer-network-thread | producer-N");
    assertThat(ThreadCpu.fold("encoder-3f2a9c1e-7b4d-4e2a-9f00-123456789abc-StreamThread-2"))
        .isEqualTo("encoder-*-StreamThread-N");
    assertThat(ThreadCpu.fold("main")).isEqualTo("main");
  }

  @Test
  void shouldAddTheCpuEachThreadKindUsedSinceASnapshot() throws InterruptedException {
    Map<String, Long> before = ThreadCpu.snapshot();
    Thread busy =
        new Thread(
            () -> {
              long end = System.nanoTime() + 200_000_000L;
              double x = 0;
              while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
              }
              if (x < 0) {
                System.out.println(x);
              }
            },
            "thread-cpu-test-busy-7");
    busy.start();
    Thread.sleep(150);
    Map<String, Long> used = new HashMap<>();
    ThreadCpu.addSince(used, before, "main");
    busy.join();

    assertThat(used).doesNotContainKey("main");
    assertThat(used.get("thread-cpu-test-busy-N")).as("a spinning thread's CPU").isPositive();
  }

  @Test
  void shouldPrintTheBusiestKindsFirstAndWhatNoJavaThreadUsed() {
    StringWriter text = new StringWriter();
    ThreadCpu.print(
        new PrintWriter(text),
        Map.of("learner-N", 3_000_000_000L, "encoder-N", 1_000_000_000L),
        6_000_000_000L,
        2);

    assertThat(text.toString().lines())
        .containsExactly(
            "  1.50  learner-N",
            "  0.50  encoder-N",
            "  1.00  no Java thread: native threads (ONNX Runtime, libtorch), GC, JIT");
  }

  @Test
  void shouldTellTheLoopsPartsByTheirThreadsNames() {
    // Names of the busiest threads in a profile of up.
    assertThat(ThreadCpu.Part.of("env-0")).isEqualTo(ThreadCpu.Part.WORKER);
    assertThat(ThreadCpu.Part.of("evaluator")).isEqualTo(ThreadCpu.Part.EVALUATOR);
    assertThat(ThreadCpu.Part.of("real-check")).isEqualTo(ThreadCpu.Part.EVALUATOR);
    assertThat(
            ThreadCpu.Part.of(
                "learn -> wm.checkpoints: Writer -> wm.checkpoints: Committer (1/1)#0"))
        .isEqualTo(ThreadCpu.Part.LEARNER);
    assertThat(ThreadCpu.Part.of("worldstream-encode-*-StreamThread-N"))
        .isEqualTo(ThreadCpu.Part.ENCODER);
    assertThat(ThreadCpu.Part.of("vae-encoder")).isEqualTo(ThreadCpu.Part.ENCODER);
    assertThat(ThreadCpu.Part.of("data-plane-kafka-request-handler-N"))
        .isEqualTo(ThreadCpu.Part.BROKER);
    assertThat(ThreadCpu.Part.of("main")).isEqualTo(ThreadCpu.Part.OTHER);
  }

  @Test
  void shouldCountWhatNoJavaThreadUsedAsNative() {
    Map<ThreadCpu.Part, Long> parts =
        ThreadCpu.byPart(Map.of("env-N", 300L, "evaluator", 200L, "real-check", 100L), 1_000L);
    assertThat(parts.get(ThreadCpu.Part.WORKER)).isEqualTo(300L);
    assertThat(parts.get(ThreadCpu.Part.EVALUATOR)).isEqualTo(300L);
    assertThat(parts.get(ThreadCpu.Part.LEARNER)).isZero();
    assertThat(parts.get(ThreadCpu.Part.NATIVE)).isEqualTo(400L);
    assertThat(parts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000L);
  }
}
