package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.models.mdn.MdnSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class SequenceAssemblerTest {

  private static final Duration IDLE = Duration.ofSeconds(30);

  /** Step t of an episode: latents and action carry t, so a test can see which step is where. */
  static EpisodeStep step(String episode, long t, boolean last) {
    EpisodeStep s = new EpisodeStep();
    s.episode = episode;
    s.vaeVersion = "vae-1";
    s.step = t;
    s.mu = new float[MdnSpec.LATENT];
    s.logvar = new float[MdnSpec.LATENT];
    java.util.Arrays.fill(s.mu, t);
    java.util.Arrays.fill(s.logvar, -t);
    s.action = new float[] {t, 0.5f, 0};
    s.reward = t / 10f;
    s.terminated = last;
    s.eventTime = 1_000 + t;
    return s;
  }

  static List<EpisodeStep> episode(String id, int steps) {
    List<EpisodeStep> list = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      list.add(step(id, t, t == steps - 1));
    }
    return list;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, EpisodeStep, TrainingSequence>
      harness(int length, int stride) throws Exception {
    return harness(length, stride, 0);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, EpisodeStep, TrainingSequence>
      harness(int length, int stride, int burnIn) throws Exception {
    var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new SequenceAssembler(length, stride, burnIn, IDLE),
            SequenceAssembler::key,
            Types.STRING);
    harness.setProcessingTime(0);
    return harness;
  }

  private static List<String> ranges(
      KeyedOneInputStreamOperatorTestHarness<String, EpisodeStep, TrainingSequence> harness) {
    return harness.extractOutputValues().stream()
        .map(s -> s.firstStep + ".." + s.lastStep())
        .toList();
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, EpisodeStep, TrainingSequence> harness,
      List<EpisodeStep> steps)
      throws Exception {
    for (EpisodeStep s : steps) {
      harness.processElement(s, 0);
    }
  }

  private static void assertNothingLeft(
      KeyedOneInputStreamOperatorTestHarness<String, EpisodeStep, TrainingSequence> harness) {
    assertThat(harness.numKeyedStateEntries()).as("state left behind").isZero();
    assertThat(harness.numProcessingTimeTimers()).as("timers left behind").isZero();
  }

  @Test
  void shouldEmitOverlappingSequencesAndFlushTheRestAtTheEpisodesEnd() throws Exception {
    try (var harness = harness(4, 2)) {
      feed(harness, episode("a", 10));

      assertThat(ranges(harness)).containsExactly("0..4", "2..6", "4..8", "8..9");
      TrainingSequence first = harness.extractOutputValues().get(0);
      assertThat(first.length).isEqualTo(4);
      assertThat(first.mu).hasSize(5 * MdnSpec.LATENT);
      assertThat(first.mu[4 * MdnSpec.LATENT]).isEqualTo(4f);
      assertThat(first.actions).hasSize(4 * MdnSpec.ACTIONS);
      assertThat(first.actions[3 * MdnSpec.ACTIONS]).isEqualTo(3f);
      assertThat(first.rewards).containsExactly(0f, 0.1f, 0.2f, 0.3f);
      TrainingSequence last = harness.extractOutputValues().get(3);
      // The transition 8 → 9, and step 9's own: it ends the episode and has no next latent.
      assertThat(last.endsEpisode).isTrue();
      assertThat(last.length).isEqualTo(2);
      assertThat(last.steps()).isEqualTo(2);
      assertThat(last.dones).containsExactly(0f, 1f);
      assertThat(last.rewards).containsExactly(0.8f, 0.9f);
      assertThat(java.util.Arrays.copyOfRange(last.mu, 2 * MdnSpec.LATENT, 3 * MdnSpec.LATENT))
          .containsOnly(0f);
      assertThat(first.endsEpisode).isFalse();
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldLeadEverySequenceButTheEpisodesFirstWithContextAndTrainEachTransitionOnce()
      throws Exception {
    try (var harness = harness(4, 2, 2)) {
      feed(harness, episode("a", 10));

      assertThat(harness.extractOutputValues())
          .extracting(s -> s.firstStep + ".." + s.lastStep() + " context " + s.context)
          .containsExactly("0..4 context 0", "2..6 context 2", "4..8 context 2", "6..9 context 2");
      // Transitions 0 to 9 (9 is the episode's end), each trained on in exactly one sequence.
      List<Long> trained = new ArrayList<>();
      for (TrainingSequence s : harness.extractOutputValues()) {
        for (int i = s.context; i < s.length; i++) {
          trained.add(s.firstStep + i);
        }
      }
      assertThat(trained).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldGiveAFlushedRunAfterAGapContextOnlyFromItself() throws Exception {
    List<EpisodeStep> steps = new ArrayList<>(episode("a", 10));
    steps.remove(6);
    try (var harness = harness(4, 2, 2)) {
      feed(harness, steps);
      harness.setProcessingTime(IDLE.toMillis() + 1);

      assertThat(harness.extractOutputValues())
          .extracting(s -> s.firstStep + ".." + s.lastStep() + " context " + s.context)
          .containsExactly("0..4 context 0", "2..5 context 2", "7..9 context 0");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldRefuseABurnInThatWouldLeaveTransitionsUntrained() {
    assertThatThrownBy(() -> new SequenceAssembler(4, 2, 3, IDLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burn-in");
  }

  @Test
  void shouldGiveTheSameSequencesWhateverTheOrderAndDuplicates() throws Exception {
    List<EpisodeStep> shuffled = new ArrayList<>(episode("a", 10));
    shuffled.addAll(episode("a", 10).subList(2, 7)); // duplicates
    Collections.shuffle(shuffled, new Random(3));
    // The last step last, so the episode ends after everything came (otherwise what comes after
    // the end starts a new, short-lived episode state, flushed at idle).
    shuffled.removeIf(s -> s.step == 9);
    shuffled.add(step("a", 9, true));
    try (var harness = harness(4, 2)) {
      feed(harness, shuffled);

      assertThat(ranges(harness)).containsExactly("0..4", "2..6", "4..8", "8..9");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldNeverSpanAMissingStep() throws Exception {
    List<EpisodeStep> steps = new ArrayList<>(episode("a", 10));
    steps.remove(6);
    try (var harness = harness(4, 2)) {
      feed(harness, steps);
      assertThat(ranges(harness)).containsExactly("0..4");
      assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

      harness.setProcessingTime(IDLE.toMillis() + 1);

      assertThat(ranges(harness)).containsExactly("0..4", "4..5", "7..9");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldFlushAnEpisodeThatWentQuietAndOnlyThen() throws Exception {
    try (var harness = harness(4, 2)) {
      feed(harness, episode("a", 20).subList(0, 3));
      harness.setProcessingTime(IDLE.toMillis() / 2);
      feed(harness, List.of(step("b", 0, false)));
      assertThat(ranges(harness)).isEmpty();

      harness.setProcessingTime(IDLE.toMillis() + 1);
      assertThat(ranges(harness)).containsExactly("0..2");
      assertThat(harness.numProcessingTimeTimers()).as("episode b's timer").isEqualTo(1);

      harness.setProcessingTime(2 * IDLE.toMillis());
      // Episode b had one step: no transition to train on, nothing emitted, nothing kept.
      assertThat(ranges(harness)).containsExactly("0..2");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldKeepEpisodesApart() throws Exception {
    List<EpisodeStep> both = new ArrayList<>();
    List<EpisodeStep> a = episode("a", 6);
    List<EpisodeStep> b = episode("b", 6);
    for (int i = 0; i < 6; i++) {
      both.add(a.get(i));
      both.add(b.get(i));
    }
    try (var harness = harness(5, 5)) {
      feed(harness, both);

      assertThat(harness.extractOutputValues())
          .extracting(s -> s.episode + " " + s.firstStep + ".." + s.lastStep())
          .containsExactly("a 0..5", "b 0..5");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldAssembleAnEpisodeEncodedAgainByANewVaeApartFromTheOld() throws Exception {
    List<EpisodeStep> old = episode("a", 10).subList(0, 6);
    List<EpisodeStep> again = episode("a", 10);
    again.forEach(s -> s.vaeVersion = "vae-2");
    try (var harness = harness(4, 2)) {
      feed(harness, old);
      feed(harness, again);
      harness.setProcessingTime(IDLE.toMillis() + 1);

      // The new VAE's steps 0 to 5 are no duplicates of the old one's, and no sequence mixes them.
      assertThat(harness.extractOutputValues())
          .extracting(s -> s.vaeVersion + " " + s.firstStep + ".." + s.lastStep())
          .containsExactlyInAnyOrder(
              "vae-1 0..4", "vae-1 4..5", "vae-2 0..4", "vae-2 2..6", "vae-2 4..8", "vae-2 8..9");
      assertNothingLeft(harness);
    }
  }

  @Test
  void shouldTravelAsFlinkPojosNotKryo() {
    assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(EpisodeStep.class))
        .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(TrainingSequence.class))
        .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
  }
}
