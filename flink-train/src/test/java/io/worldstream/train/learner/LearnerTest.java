package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LossParts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class LearnerTest {

  /** A sequence of a latent random walk driven by the actions, 8 transitions. */
  static TrainingSequence sequence(String episode, String vae, long seed) {
    return TrainingSequence.of(steps(episode, vae, seed, 9));
  }

  /** The first {@code count} steps of such an episode. */
  static List<EpisodeStep> steps(String episode, String vae, long seed, int count) {
    Random random = new Random(seed);
    List<EpisodeStep> steps = new ArrayList<>();
    float[] z = new float[MdnSpec.LATENT];
    for (int d = 0; d < z.length; d++) {
      z[d] = (float) random.nextGaussian();
    }
    for (int t = 0; t < count; t++) {
      EpisodeStep s = SequenceAssemblerTest.step(episode, t, false);
      s.vaeVersion = vae;
      s.mu = z.clone();
      java.util.Arrays.fill(s.logvar, -6);
      float steer = (float) random.nextGaussian() * 0.5f;
      s.action = new float[] {steer, 0.5f, 0};
      s.reward = steer > 0 ? 1 : -0.1f;
      for (int d = 0; d < z.length; d++) {
        z[d] = 0.9f * z[d] + (d % 2 == 0 ? steer : -steer) * 0.3f;
      }
      steps.add(s);
    }
    return steps;
  }

  /** Episode ids on either side of the held-out split. */
  static List<String> episodes(boolean heldOut, int count, int percent) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = "episode-" + i;
      if (Learner.heldOut(id, percent) == heldOut) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static LearnerSettings settings(int checkpointEvery) {
    return LearnerSettings.builder()
        .batchSize(4)
        .replayCapacity(100)
        .heldOutCapacity(20)
        .checkpointEvery(checkpointEvery)
        .checkpointInterval(Duration.ofHours(1))
        .seed(3)
        .build();
  }

  /** As {@link #settings}(3), with lineages expiring after a second of processing time. */
  private static LearnerSettings expiringAfterASecond() {
    return settings(3).toBuilder().lineageExpiry(Duration.ofSeconds(1)).build();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, TrainingSequence, PublishedModel>
      harness(LearnerSettings settings) throws Exception {
    var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new Learner(settings), s -> s.vaeVersion, Types.STRING);
    // A lineage's model, its average and Adam's moments are about 7 MB of state: more than the
    // 5 MB a snapshot in memory takes by default (a job checkpoints to files).
    harness.setCheckpointStorage(
        new org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage(64 << 20));
    harness.setProcessingTime(1);
    return harness;
  }

  /** A new learner restored from {@code snapshot}, its clock where the snapshot was taken. */
  private static KeyedOneInputStreamOperatorTestHarness<String, TrainingSequence, PublishedModel>
      restored(
          LearnerSettings settings,
          org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot,
          long takenAt)
          throws Exception {
    var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                new Learner(settings)),
            (TrainingSequence s) -> s.vaeVersion,
            Types.STRING);
    harness.setProcessingTime(takenAt);
    harness.initializeState(snapshot);
    harness.open();
    return harness;
  }

  /** One step of a published checkpoint's verified model from zero latent, action and state. */
  private static MdnRnnStep.Output stepFromZeros(Checkpoint checkpoint) {
    byte[] onnx = ModelVersion.verified(checkpoint.getOnnxModel(), checkpoint.getSha256());
    try (MdnRnnStep step = MdnRnnStep.load(onnx, 1)) {
      return step.step(
          new float[MdnSpec.LATENT],
          new float[MdnSpec.ACTIONS],
          new float[MdnSpec.HIDDEN],
          new float[MdnSpec.HIDDEN],
          1);
    }
  }

  /** Advances processing time a millisecond at a time, so every training timer fires. */
  private static void train(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingSequence, PublishedModel> harness,
      int millis)
      throws Exception {
    long now = harness.getProcessingTime();
    for (int i = 1; i <= millis; i++) {
      harness.setProcessingTime(now + i);
    }
  }

  @Test
  void shouldPublishACheckpointEveryKStepsWithVersionsInOrder() throws Exception {
    try (var harness = harness(settings(3))) {
      int n = 0;
      for (String id : episodes(false, 10, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      for (String id : episodes(true, 2, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);

      // 10 training sequences at a train ratio of 1: 10 steps, so checkpoints after steps 3, 6, 9.
      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      assertThat(published).extracting(Checkpoint::getVersion).containsExactly(1L, 2L, 3L);
      assertThat(published).extracting(Checkpoint::getParentVersion).containsExactly(null, 1L, 2L);
      assertThat(published)
          .extracting(Checkpoint::getLineage)
          .containsOnly(Learner.lineage("vae-a"));
      Checkpoint last = published.get(2);
      assertThat(last.getStepsTrained()).isEqualTo(9 * 4 * 9);
      assertThat(last.getHeldOutLoss()).isNotNull();
      assertThat(last.getTrainLoss()).isFinite();
      assertThat(stepFromZeros(last).reward()).hasSize(1);
    }
  }

  @Test
  void shouldPublishOnlyFiniteModelsWhenSomeBatchesOverflow() throws Exception {
    try (var harness = harness(settings(3))) {
      int n = 0;
      for (String id : episodes(false, 12, 10)) {
        TrainingSequence sequence = sequence(id, "vae-a", n++);
        if (n == 6) {
          // Finite, so it passes every check on the way in, but no loss on it is.
          sequence.mu[MdnSpec.LATENT + 2] = Float.MAX_VALUE;
        }
        harness.processElement(sequence, 1);
      }
      for (String id : episodes(true, 2, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);

      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      // 12 credits, batches of 4 drawn from 12 sequences of which one overflows: the batches that
      // hold it are refused (a twelfth step would have published a version at 12), the rest train.
      assertThat(published).isNotEmpty();
      Checkpoint last = published.get(published.size() - 1);
      assertThat(last.getGradientSteps()).isBetween(3L, 9L);
      assertThat(published).allSatisfy(c -> assertThat(c.getTrainLoss()).isFinite());
      assertThat(last.getHeldOutLoss()).isFinite();
      assertThat(stepFromZeros(last).reward()[0]).isFinite();
    }
  }

  @Test
  void shouldNeverTrainOnHeldOutEpisodes() throws Exception {
    try (var harness = harness(settings(1))) {
      int n = 0;
      for (String id : episodes(true, 12, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);

      assertThat(harness.extractOutputValues()).as("no training data, no step").isEmpty();
      assertThat(harness.numProcessingTimeTimers()).as("the lineage's expiry alone").isOne();
    }
  }

  @Test
  void shouldKeepOneLineagePerVaeVersion() throws Exception {
    try (var harness = harness(settings(2))) {
      int n = 0;
      for (String id : episodes(false, 4, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
        harness.processElement(sequence(id + "-b", "vae-b", n++), 1);
      }
      train(harness, 20);

      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      assertThat(published)
          .extracting(c -> c.getLineage() + " v" + c.getVersion() + " " + c.getVaeVersion())
          .containsExactlyInAnyOrder(
              Learner.lineage("vae-a") + " v1 vae-a",
              Learner.lineage("vae-a") + " v2 vae-a",
              Learner.lineage("vae-b") + " v1 vae-b",
              Learner.lineage("vae-b") + " v2 vae-b");
      // Different data, different models.
      assertThat(
              published.stream()
                  .filter(c -> c.getVersion() == 2)
                  .map(Checkpoint::getSha256)
                  .distinct())
          .hasSize(2);
    }
  }

  @Test
  void shouldPublishTheModelItTrainsWithItsLossPartsAndSteps() throws Exception {
    Learner learner = new Learner(settings(3));
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      int n = 0;
      for (String id : episodes(false, 9, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      TrainingSequence heldOut = sequence(episodes(true, 1, 10).get(0), "vae-a", n);
      harness.processElement(heldOut, 1);
      train(harness, 20);

      // 9 sequences at a train ratio of 1: the 9th and last step published v3.
      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      assertThat(published).extracting(Checkpoint::getGradientSteps).containsExactly(3L, 6L, 9L);
      for (Checkpoint c : published) {
        LossParts train = c.getTrainLossParts();
        LossParts held = c.getHeldOutLossParts();
        assertThat(train.getNll() + train.getRewardMse() + train.getDoneBce())
            .isCloseTo(c.getTrainLoss(), within(1e-9));
        assertThat(held.getNll() + held.getRewardMse() + held.getDoneBce())
            .isCloseTo(c.getHeldOutLoss(), within(1e-9));
        assertThat(held.getRewardMse()).isPositive();
      }

      // The published graph, stepped through the held-out sequence, gives what the learner's own
      // published model (the running average of its weights) computes over the whole sequence at
      // once (its training forward pass).
      Checkpoint last = published.get(2);
      byte[] onnx = ModelVersion.verified(last.getOnnxModel(), last.getSha256());
      int t = heldOut.length;
      float[] z = java.util.Arrays.copyOf(heldOut.mu, t * MdnSpec.LATENT);
      float[] expected;
      try (NDManager manager = NDManager.newBaseManager()) {
        expected =
            learner
                .published("vae-a")
                .sequence(
                    manager.create(z, new Shape(1, t, MdnSpec.LATENT)),
                    manager.create(heldOut.actions, new Shape(1, t, MdnSpec.ACTIONS)))
                .toFloatArray();
      }
      double worst = 0;
      try (MdnRnnStep step = MdnRnnStep.load(onnx, 1)) {
        float[] h = new float[MdnSpec.HIDDEN];
        float[] c = new float[MdnSpec.HIDDEN];
        int m = MdnSpec.MIXTURE_OUTPUTS;
        for (int i = 0; i < t; i++) {
          MdnRnnStep.Output out =
              step.step(
                  java.util.Arrays.copyOfRange(z, i * MdnSpec.LATENT, (i + 1) * MdnSpec.LATENT),
                  java.util.Arrays.copyOfRange(
                      heldOut.actions, i * MdnSpec.ACTIONS, (i + 1) * MdnSpec.ACTIONS),
                  h,
                  c,
                  1);
          int base = i * MdnSpec.HEAD;
          for (int k = 0; k < m; k++) {
            worst = Math.max(worst, Math.abs(expected[base + m + k] - out.mu()[k]));
            worst = Math.max(worst, Math.abs(expected[base + 2 * m + k] - out.logSigma()[k]));
          }
          worst = Math.max(worst, Math.abs(expected[base + 3 * m] - out.reward()[0]));
          double done = 1 / (1 + Math.exp(-expected[base + 3 * m + 1]));
          worst = Math.max(worst, Math.abs(done - out.done()[0]));
          h = out.h();
          c = out.c();
        }
      }
      System.out.printf("Published model vs the learner's forward pass: max |Δ| %.2e%n", worst);
      assertThat(worst).isLessThan(1e-4);
    }
  }

  /** Four sequences of four episodes, and a few milliseconds of training on them. */
  private static void trainAStepOrMore(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingSequence, PublishedModel> harness)
      throws Exception {
    int n = 0;
    for (String id : episodes(false, 4, 10)) {
      harness.processElement(sequence(id, "vae-a", n++), 1);
    }
    train(harness, 5);
  }

  @Test
  void shouldStartASequenceThatContinuesAnEpisodeFromTheMemoryItsModelReachedThere()
      throws Exception {
    Learner learner = new Learner(settings(100).toBuilder().storedState(true).build());
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      trainAStepOrMore(harness);
      assertThat(learner.gradientSteps("vae-a"))
          .as("the lineage's model is in memory")
          .isPositive();

      String id = episodes(false, 5, 10).get(4);
      List<EpisodeStep> episode = steps(id, "vae-a", 99, 13);
      TrainingSequence first = TrainingSequence.of(episode.subList(0, 9));
      TrainingSequence second = TrainingSequence.of(episode.subList(4, 13));
      TrainingSequence unfollowed = TrainingSequence.of(steps("elsewhere", "vae-a", 7, 13));
      unfollowed.firstStep = 4;
      harness.processElement(first, 1);
      harness.processElement(second, 1);
      harness.processElement(unfollowed, 1);

      assertThat(first.h0).as("an episode's first sequence starts from zeros").isNull();
      assertThat(unfollowed.h0).as("no sequence before it: zeros").isNull();
      assertThat(second.h0).isNotNull();
      // The memory at step 4, stepped one step at a time from zeros by the model being trained.
      try (NDManager manager = NDManager.newBaseManager()) {
        var model = learner.model("vae-a");
        var h = manager.zeros(new Shape(1, MdnSpec.HIDDEN));
        var c = manager.zeros(new Shape(1, MdnSpec.HIDDEN));
        for (int t = 0; t < 4; t++) {
          EpisodeStep step = episode.get(t);
          var out =
              model.step(
                  manager.create(step.mu, new Shape(1, MdnSpec.LATENT)),
                  manager.create(step.action, new Shape(1, MdnSpec.ACTIONS)),
                  h,
                  c);
          h = out.get(1);
          c = out.get(2);
        }
        assertThat(second.h0).containsExactly(h.toFloatArray(), within(1e-5f));
        assertThat(second.c0).containsExactly(c.toFloatArray(), within(1e-5f));
        assertThat(h.abs().max().getFloat()).as("a memory, not zeros").isGreaterThan(0.01f);
      }
    }
  }

  @Test
  void shouldStartEverySequenceFromZerosWithoutStoredState() throws Exception {
    Learner learner = new Learner(settings(100));
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      trainAStepOrMore(harness);
      List<EpisodeStep> episode = steps(episodes(false, 5, 10).get(4), "vae-a", 99, 13);
      TrainingSequence second = TrainingSequence.of(episode.subList(4, 13));
      harness.processElement(TrainingSequence.of(episode.subList(0, 9)), 1);
      harness.processElement(second, 1);
      assertThat(second.h0).isNull();
    }
  }

  /**
   * What the learner traces when a sequence of each episode arrives, all before the first
   * minibatch, and it then trains for 40 ms of processing time.
   */
  private static List<LearnerStatus.SequenceEvent> traceArrivingThenTraining(
      LearnerSettings settings, List<String> episodes) throws Exception {
    List<LearnerStatus.SequenceEvent> events =
        java.util.Collections.synchronizedList(new ArrayList<>());
    LearnerStatus.trace(events::add);
    try (var harness = harness(settings)) {
      int n = 0;
      for (String id : episodes) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 40);
    } finally {
      LearnerStatus.trace(null);
    }
    return events;
  }

  @Test
  void shouldTakeTheKthNewSequenceIntoAMinibatchByStepKPlusOne() throws Exception {
    List<LearnerStatus.SequenceEvent> events =
        traceArrivingThenTraining(settings(1_000), episodes(false, 20, 10));
    // A batch of 4 keeps one place for a sequence not taken yet: the k-th by step k + 1.
    java.util.Map<String, Long> firstTaken = new java.util.HashMap<>();
    for (var e : events) {
      if (e.sampled()) {
        firstTaken.merge(e.episode(), e.gradientStep(), Math::min);
      }
    }
    List<String> arrived =
        events.stream()
            .filter(e -> !e.sampled())
            .map(LearnerStatus.SequenceEvent::episode)
            .toList();
    assertThat(arrived).hasSize(20);
    for (int k = 0; k < arrived.size(); k++) {
      assertThat(firstTaken.get(arrived.get(k)))
          .as("first step taking sequence %d", k)
          .isLessThanOrEqualTo(k + 1L);
    }
  }

  @Test
  void shouldPublishWhatItTrainedOnceTheIntervalEndsEvenWhenNoMoreDataComes() throws Exception {
    try (var harness = harness(settings(1_000))) {
      int n = 0;
      for (String id : episodes(false, 10, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);
      assertThat(harness.extractOutputValues()).as("before the interval").isEmpty();

      harness.setProcessingTime(Duration.ofHours(1).toMillis() + 10);

      assertThat(harness.extractOutputValues())
          .extracting(m -> m.gradientSteps)
          .containsExactly(10L);
      assertThat(harness.numProcessingTimeTimers())
          .as("nothing left to do but the lineage's expiry")
          .isOne();
    }
  }

  @Test
  void shouldTakeAgainAsFreshTheSequencesOfStepsARestoreDiscarded() throws Exception {
    LearnerSettings settings = settings(4);
    // Batches of 4 keep one place for a fresh sequence.
    List<String> ids = episodes(false, 6, 10);
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
    try (var original = harness(settings)) {
      int n = 0;
      for (String id : ids) {
        original.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(original, 10); // 6 steps, v1 after step 4: steps 5 and 6 took sequences 4 and 5 fresh
      snapshot = original.snapshot(1, original.getProcessingTime());
    }
    List<LearnerStatus.SequenceEvent> events =
        java.util.Collections.synchronizedList(new ArrayList<>());
    LearnerStatus.trace(events::add);
    try (var restored = restored(settings, snapshot, 11)) {
      // New data comes: the learner redoes steps 5 and 6, then takes step 7 for it.
      restored.processElement(sequence(episodes(false, 7, 10).get(6), "vae-a", 6), 1);
      train(restored, 10);
    } finally {
      LearnerStatus.trace(null);
    }
    // A minibatch's fresh sequences come first.
    assertThat(events)
        .filteredOn(e -> e.sampled() && e.gradientStep() == 5)
        .first()
        .extracting(LearnerStatus.SequenceEvent::episode)
        .isEqualTo(ids.get(4));
    assertThat(events)
        .filteredOn(e -> e.sampled() && e.gradientStep() == 6)
        .first()
        .extracting(LearnerStatus.SequenceEvent::episode)
        .isEqualTo(ids.get(5));
  }

  @Test
  void shouldSplitEpisodesStablyAtTheHeldOutShare() {
    long heldOut = 0;
    for (int i = 0; i < 10_000; i++) {
      heldOut += Learner.heldOut("ep-" + i, 10) ? 1 : 0;
    }
    assertThat(heldOut).isBetween(900L, 1_100L);
    // Worked out independently (Python's hashlib: the digest's first four bytes as a big-endian
    // int, mod 100, below 10): the same ids on every machine and every run.
    assertThat(
            java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "episode-" + i)
                .filter(id -> Learner.heldOut(id, 10)))
        .containsExactly(
            "episode-2", "episode-3", "episode-4", "episode-11", "episode-19", "episode-35");
    assertThat(Learner.heldOut("episode-2", 0)).isFalse();
  }

  @Test
  void shouldPadShortSequencesAndMaskThePadding() {
    TrainingSequence longer = sequence("a", "v", 1);
    List<EpisodeStep> two = new ArrayList<>();
    two.add(SequenceAssemblerTest.step("b", 0, false));
    two.add(SequenceAssemblerTest.step("b", 1, true));
    var batch = Minibatches.of(List.of(longer, TrainingSequence.of(two)));

    assertThat(batch.steps()).isEqualTo(8);
    assertThat(java.util.Arrays.copyOfRange(batch.mask(), 0, 8)).containsOnly(1f);
    // b: the transition 0 → 1, then step 1's own (it ends the episode; no next latent).
    assertThat(batch.mask()[8]).isEqualTo(1f);
    assertThat(batch.mask()[9]).isEqualTo(1f);
    assertThat(java.util.Arrays.copyOfRange(batch.mask(), 10, 16)).containsOnly(0f);
    assertThat(batch.latentMask()[8]).isEqualTo(1f);
    assertThat(batch.latentMask()[9]).isEqualTo(0f);
    assertThat(batch.dones()[9]).isEqualTo(1f);
    assertThat(java.util.Arrays.copyOfRange(batch.latentMask(), 0, 8)).containsOnly(1f);
    assertThat(batch.mu()[9 * MdnSpec.LATENT]).isEqualTo(0f); // b's step 0 latent is all zeros
    assertThat(batch.mu()[10 * MdnSpec.LATENT]).isEqualTo(1f); // b's step 1
  }

  @Test
  void shouldContinueTheNumberingOfVersionsPublishedBeforeItsStateBegan() throws Exception {
    Learner learner =
        new Learner(settings(3), java.util.Map.of(Learner.lineage("vae-a"), 41L, "vae-other", 9L));
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      harness.setProcessingTime(1);
      int n = 0;
      for (String id : episodes(false, 6, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
        harness.processElement(sequence(id, "vae-b", n++), 1);
      }
      train(harness, 20);

      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      // A lineage published before goes on after its newest version, as a new chain; another
      // starts at 1.
      assertThat(published)
          .extracting(
              c -> c.getLineage() + " v" + c.getVersion() + " parent " + c.getParentVersion())
          .containsExactlyInAnyOrder(
              Learner.lineage("vae-a") + " v42 parent null",
              Learner.lineage("vae-a") + " v43 parent 42",
              Learner.lineage("vae-b") + " v1 parent null",
              Learner.lineage("vae-b") + " v2 parent 1");
    }
  }

  @Test
  void shouldDropALineageIdleForTheExpiryAndNumberItsNextModelOnAfterIt() throws Exception {
    LearnerSettings settings = expiringAfterASecond();
    try (var harness = harness(settings)) {
      int n = 0;
      List<String> training = episodes(false, 16, 10);
      for (String id : training.subList(0, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      for (String id : episodes(true, 2, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      harness.processElement(sequence(training.get(10), "vae-b", n++), 1);
      train(harness, 20);
      int withData = harness.numKeyedStateEntries();

      // Nothing more comes for a second: both lineages leave all but their counters behind.
      harness.setProcessingTime(harness.getProcessingTime() + 1_000);
      assertThat(withData)
          .as("counters, replay, held-out set, weights, their average, moments")
          .isEqualTo(9);
      assertThat(harness.numKeyedStateEntries()).as("one progress per lineage").isEqualTo(2);

      // Sequences come after all: a fresh model, numbered on after the last version, no parent.
      for (String id : training.subList(10, 16)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);
      List<Checkpoint> published =
          harness.extractOutputValues().stream().map(PublishedModel::toRecord).toList();
      assertThat(published)
          .extracting(
              c ->
                  "v"
                      + c.getVersion()
                      + " parent "
                      + c.getParentVersion()
                      + " after "
                      + c.getGradientSteps())
          .containsExactly(
              "v1 parent null after 3",
              "v2 parent 1 after 6",
              "v3 parent 2 after 9",
              "v4 parent null after 3",
              "v5 parent 4 after 6");

      harness.setProcessingTime(harness.getProcessingTime() + 1_000);
      assertThat(harness.numKeyedStateEntries()).as("counters alone").isEqualTo(2);
      assertThat(harness.numProcessingTimeTimers()).as("no timer left behind").isZero();
    }
  }

  @Test
  void shouldNotCountTheTimeTheJobWasDownAsALineageIdle() throws Exception {
    LearnerSettings settings = expiringAfterASecond();
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
    long takenAt;
    try (var harness = harness(settings)) {
      int n = 0;
      for (String id : episodes(false, 6, 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 20);
      takenAt = harness.getProcessingTime();
      snapshot = harness.snapshot(1, takenAt);
    }
    // Restored two expiries later: the overdue expiry timer fires at once, and the lineage gets a
    // full expiry from the restart to receive data again.
    try (var harness = restored(settings, snapshot, takenAt)) {
      int before = harness.numKeyedStateEntries();
      harness.setProcessingTime(takenAt + 2_000);
      assertThat(harness.numKeyedStateEntries()).as("kept across the downtime").isEqualTo(before);
      harness.setProcessingTime(takenAt + 3_100);
      assertThat(harness.numKeyedStateEntries()).as("idle a full expiry since").isEqualTo(1);
    }
  }

  @Test
  void shouldTrainOnlyOnTheNewestReplayCapacitySequences() throws Exception {
    LearnerSettings settings = settings(1_000).toBuilder().replayCapacity(8).build();
    List<String> ids = episodes(false, 20, 10);
    // All twenty arrive before the first minibatch: the replay keeps the last eight.
    List<LearnerStatus.SequenceEvent> events = traceArrivingThenTraining(settings, ids);
    List<String> sampled =
        events.stream()
            .filter(LearnerStatus.SequenceEvent::sampled)
            .map(LearnerStatus.SequenceEvent::episode)
            .toList();
    assertThat(sampled).hasSizeGreaterThanOrEqualTo(4 * 8);
    assertThat(sampled).isSubsetOf(ids.subList(12, 20)).containsAll(ids.subList(12, 20));
  }

  @Test
  void shouldOweNoMoreStepsThanAReplayBuffersWorth() throws Exception {
    LearnerSettings settings = settings(1_000_000);
    Learner learner = new Learner(settings);
    try (var harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      harness.setProcessingTime(1);
      int n = 0;
      // Three buffers' worth arrive before the learner gets to train at all.
      for (String id : episodes(false, 3 * settings.replayCapacity(), 10)) {
        harness.processElement(sequence(id, "vae-a", n++), 1);
      }
      train(harness, 4 * settings.replayCapacity());

      assertThat(learner.gradientSteps("vae-a")).isEqualTo(settings.replayCapacity());
    }
  }

  @Test
  void shouldTakeNoLossOnASequencesContext() {
    List<EpisodeStep> steps = SequenceAssemblerTest.episode("c", 6).subList(1, 6);
    var batch = Minibatches.of(List.of(TrainingSequence.of(steps, 2)));

    // Steps 1 to 5, ending the episode at 5: five transitions, the first two context only.
    assertThat(batch.mask()).containsExactly(0f, 0f, 1f, 1f, 1f);
    assertThat(batch.latentMask()).containsExactly(0f, 0f, 1f, 1f, 0f);
    assertThatThrownBy(() -> TrainingSequence.of(steps, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldContinueFromAFlinkCheckpointWithTheSameModelsAndVersions() throws Exception {
    List<TrainingSequence> before = new ArrayList<>();
    List<TrainingSequence> after = new ArrayList<>();
    int n = 0;
    for (String id : episodes(false, 12, 10)) {
      (n < 6 ? before : after).add(sequence(id, "vae-a", n++));
    }
    LearnerSettings settings = settings(3);
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
    List<PublishedModel> uninterrupted;
    try (var original = harness(settings)) {
      for (TrainingSequence s : before) {
        original.processElement(s, 1);
      }
      train(original, 10);
      snapshot = original.snapshot(1, original.getProcessingTime());
      for (TrainingSequence s : after) {
        original.processElement(s, 1);
      }
      train(original, 10);
      uninterrupted = original.extractOutputValues();
    }
    assertThat(uninterrupted).extracting(m -> m.version).containsExactly(1L, 2L, 3L, 4L);

    try (var restored = restored(settings, snapshot, 11)) {
      for (TrainingSequence s : after) {
        restored.processElement(s, 1);
      }
      train(restored, 10);

      // Versions continue where the snapshot left them, and the models are the very same.
      List<PublishedModel> resumed = restored.extractOutputValues();
      assertThat(resumed).extracting(m -> m.version).containsExactly(3L, 4L);
      assertThat(resumed)
          .extracting(m -> m.sha256)
          .containsExactly(uninterrupted.get(2).sha256, uninterrupted.get(3).sha256);
    }
  }
}
