package io.worldstream.train.mdn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MdnRnnTrainerTest {

  /**
   * B sequences of a smooth latent random walk driven by the actions, with rewards tied to them.
   */
  static MdnRnnTrainer.Batch randomWalks(int b, int t, long seed) {
    Random random = new Random(seed);
    float[] mu = new float[b * (t + 1) * MdnSpec.LATENT];
    float[] logvar = new float[mu.length];
    float[] actions = new float[b * t * MdnSpec.ACTIONS];
    float[] rewards = new float[b * t];
    float[] dones = new float[b * t];
    float[] mask = new float[b * t];
    java.util.Arrays.fill(logvar, -6);
    java.util.Arrays.fill(mask, 1);
    for (int s = 0; s < b; s++) {
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        mu[s * (t + 1) * MdnSpec.LATENT + d] = (float) random.nextGaussian();
      }
      for (int step = 0; step < t; step++) {
        float steer = (float) random.nextGaussian() * 0.5f;
        actions[(s * t + step) * MdnSpec.ACTIONS] = steer;
        actions[(s * t + step) * MdnSpec.ACTIONS + 1] = 0.5f;
        for (int d = 0; d < MdnSpec.LATENT; d++) {
          int from = (s * (t + 1) + step) * MdnSpec.LATENT + d;
          mu[from + MdnSpec.LATENT] = 0.9f * mu[from] + (d % 2 == 0 ? steer : -steer) * 0.3f;
        }
        rewards[s * t + step] = steer > 0 ? 1 : -0.1f;
      }
      dones[s * t + t - 1] = 1;
    }
    return new MdnRnnTrainer.Batch(b, t, mu, logvar, actions, rewards, dones, mask);
  }

  @Test
  void shouldStartEachSequenceFromTheStateItsBatchGives() {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Tensor> weights = DjlMdnRnn.initialise(manager).weights().export();
      MdnRnnTrainer.Batch b = randomWalks(4, 8, 2);
      float[] zeros = new float[4 * MdnSpec.HIDDEN];
      float[] state = new float[zeros.length];
      Random random = new Random(8);
      for (int i = 0; i < state.length; i++) {
        state[i] = (float) random.nextGaussian() * 0.5f;
      }
      // A fresh trainer over the same weights for each evaluation: the same noise draws.
      java.util.function.Function<MdnRnnTrainer.Batch, MdnRnnTrainer.Losses> evaluate =
          batch ->
              new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, weights), 1e-3f, 1.0, 3, 0)
                  .evaluate(batch);

      assertThat(evaluate.apply(withState(b, zeros, zeros))).isEqualTo(evaluate.apply(b));
      assertThat(evaluate.apply(withState(b, state, state)).total())
          .isNotEqualTo(evaluate.apply(b).total());
    }
  }

  private static MdnRnnTrainer.Batch withState(MdnRnnTrainer.Batch b, float[] h0, float[] c0) {
    return new MdnRnnTrainer.Batch(
        b.batch(),
        b.steps(),
        b.mu(),
        b.logvar(),
        b.actions(),
        b.rewards(),
        b.dones(),
        b.mask(),
        b.latentMask(),
        h0,
        c0);
  }

  @Test
  void shouldDropUnitsInTrainingStepsOnlyNeverInEvaluation() {
    Engine.getInstance().setRandomSeed(6);
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Tensor> weights = DjlMdnRnn.initialise(manager).weights().export();
      MdnRnnTrainer plain =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, weights), 1e-3f, 1.0, 3, 0);
      MdnRnnTrainer dropping =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, weights), 1e-3f, 1.0, 3, 0.5);
      MdnRnnTrainer.Batch batch = randomWalks(4, 8, 2);

      assertThat(dropping.evaluate(batch)).isEqualTo(plain.evaluate(batch));
      assertThat(dropping.step(batch).total()).isNotEqualTo(plain.step(batch).total());
    }
  }

  @Test
  void shouldDriveTheLossDownOnOneFixedBatch() {
    Engine.getInstance().setRandomSeed(4);
    try (NDManager manager = NDManager.newBaseManager()) {
      MdnRnnTrainer trainer = new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0);
      MdnRnnTrainer.Batch batch = randomWalks(16, 32, 5);

      MdnRnnTrainer.Losses first = trainer.step(batch);
      MdnRnnTrainer.Losses last = first;
      for (int i = 0; i < 150; i++) {
        last = trainer.step(batch);
      }
      System.out.printf(
          "MDN-RNN overfit: total %.3f → %.3f (nll %.3f → %.3f, reward %.3f → %.3f, done %.3f → %.3f)%n",
          first.total(),
          last.total(),
          first.nll(),
          last.nll(),
          first.rewardMse(),
          last.rewardMse(),
          first.doneBce(),
          last.doneBce());
      assertThat(last.total()).isLessThan(first.total() - 1);
      assertThat(last.nll()).isLessThan(first.nll());
      assertThat(last.rewardMse()).isLessThan(first.rewardMse());
      assertThat(last.doneBce()).isLessThan(first.doneBce());
      assertThat(trainer.evaluate(batch).total()).isLessThan(first.total());
    }
  }

  @Test
  void shouldContinueIdenticallyWhenRestoredIntoAFreshTrainer() {
    int n = 5;
    int m = 5;
    List<MdnRnnTrainer.Batch> batches = new ArrayList<>();
    for (int i = 0; i < n + m; i++) {
      batches.add(randomWalks(4, 8, 100 + i));
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      MdnRnnTrainer uninterrupted =
          new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0, 7);
      batches.forEach(uninterrupted::step);

      Engine.getInstance().setRandomSeed(11);
      MdnRnnTrainer first =
          new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0, 7);
      batches.subList(0, n).forEach(first::step);
      TrainingStep.State saved = first.state();

      // A fresh trainer with other initial weights and another seed: everything must come from the
      // state.
      MdnRnnTrainer resumed =
          new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0, 99);
      resumed.restore(saved);
      batches.subList(n, n + m).forEach(resumed::step);

      // The control: the same weights, but Adam starting over.
      MdnRnnTrainer weightsOnly =
          new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0, 7);
      weightsOnly.model().weights().restore(saved.weights());
      batches.subList(n, n + m).forEach(weightsOnly::step);

      assertThat(resumed.steps()).isEqualTo(n + m);
      Map<String, Tensor> expected = uninterrupted.model().weights().export();
      double differenceFromResumed = 0;
      double differenceFromControl = 0;
      Map<String, Tensor> got = resumed.model().weights().export();
      Map<String, Tensor> control = weightsOnly.model().weights().export();
      for (String name : expected.keySet()) {
        float[] e = expected.get(name).data();
        float[] r = got.get(name).data();
        float[] c = control.get(name).data();
        for (int i = 0; i < e.length; i++) {
          differenceFromResumed = Math.max(differenceFromResumed, Math.abs(e[i] - r[i]));
          differenceFromControl = Math.max(differenceFromControl, Math.abs(e[i] - c[i]));
        }
      }
      System.out.printf(
          "MDN-RNN resumed vs uninterrupted: max |Δw| %.3g; weights restored without Adam's"
              + " state: %.3g%n",
          differenceFromResumed, differenceFromControl);
      assertThat(differenceFromResumed).isLessThan(1e-6);
      assertThat(differenceFromControl).isGreaterThan(1e-4);
    }
  }

  @Test
  void shouldPublishTheRunningAverageOfTheTrainedWeights() {
    double decay = 0.9;
    int steps = 30;
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(12);
      Map<String, Tensor> initial = DjlMdnRnn.initialise(manager).weights().export();
      MdnRnnTrainer averaging =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, initial), 1e-3f, 1.0, 5, 0, decay);
      MdnRnnTrainer plain =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, initial), 1e-3f, 1.0, 5, 0);

      // The average computed here in doubles from the trained weights after every step.
      Map<String, double[]> expected = new java.util.HashMap<>();
      initial.forEach((name, t) -> expected.put(name, toDoubles(t.data())));
      for (int t = 1; t <= steps; t++) {
        MdnRnnTrainer.Batch batch = randomWalks(4, 8, 200 + t);
        averaging.step(batch);
        plain.step(batch);
        double d = Math.min(decay, (1.0 + t) / (10.0 + t));
        averaging
            .model()
            .weights()
            .export()
            .forEach(
                (name, w) -> {
                  double[] avg = expected.get(name);
                  for (int i = 0; i < avg.length; i++) {
                    avg[i] = d * avg[i] + (1 - d) * w.data()[i];
                  }
                });
      }

      double fromExpected = 0;
      double fromTrained = 0;
      Map<String, Tensor> published = averaging.published().weights().export();
      Map<String, Tensor> trained = averaging.model().weights().export();
      for (String name : expected.keySet()) {
        double[] e = expected.get(name);
        for (int i = 0; i < e.length; i++) {
          fromExpected = Math.max(fromExpected, Math.abs(e[i] - published.get(name).data()[i]));
          fromTrained = Math.max(fromTrained, Math.abs(e[i] - trained.get(name).data()[i]));
        }
      }
      System.out.printf(
          "MDN-RNN published average vs one computed apart: max |Δw| %.3g; vs the trained"
              + " weights %.3g%n",
          fromExpected, fromTrained);
      assertThat(fromExpected).isLessThan(1e-5);
      assertThat(fromTrained).isGreaterThan(1e-4);
      // Averaging changes what is published, not how the weights are trained.
      assertThat(maxDifference(trained, plain.model().weights().export())).isZero();

      // Held-out evaluation scores the published model: the plain trainer, at the same step and
      // noise, scores the same once it runs on the average.
      MdnRnnTrainer.Batch heldOut = randomWalks(4, 8, 300);
      assertThat(averaging.evaluate(heldOut)).isNotEqualTo(plain.evaluate(heldOut));
      plain.model().weights().restore(published);
      assertThat(averaging.evaluate(heldOut)).isEqualTo(plain.evaluate(heldOut));
    }
  }

  @Test
  void shouldRestoreTheAverageWithTheWeights() {
    List<MdnRnnTrainer.Batch> batches = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batches.add(randomWalks(4, 8, 400 + i));
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, Tensor> initial = DjlMdnRnn.initialise(manager).weights().export();
      MdnRnnTrainer uninterrupted =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, initial), 1e-3f, 1.0, 7, 0, 0.9);
      batches.forEach(uninterrupted::step);

      MdnRnnTrainer first =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, initial), 1e-3f, 1.0, 7, 0, 0.9);
      batches.subList(0, 5).forEach(first::step);
      TrainingStep.State saved = first.state();
      assertThat(maxDifference(saved.average(), saved.weights())).isGreaterThan(1e-4);
      MdnRnnTrainer resumed =
          new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0, 99, 0, 0.9);
      resumed.restore(saved);
      batches.subList(5, 10).forEach(resumed::step);

      assertThat(
              maxDifference(
                  uninterrupted.published().weights().export(),
                  resumed.published().weights().export()))
          .isLessThan(1e-6);
    }
  }

  private static double maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
    assertThat(b.keySet()).isEqualTo(a.keySet());
    double difference = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) {
        difference = Math.max(difference, Math.abs(x[i] - y[i]));
      }
    }
    return difference;
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Test
  void shouldLeaveEverythingAsItWasAfterAStepWhoseLossIsNotFinite() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(13);
      Map<String, Tensor> initial = DjlMdnRnn.initialise(manager).weights().export();
      MdnRnnTrainer trainer =
          new MdnRnnTrainer(manager, DjlMdnRnn.of(manager, initial), 1e-3f, 1.0, 5, 0, 0.9);
      MdnRnnTrainer.Batch good = randomWalks(4, 8, 21);
      trainer.step(good);
      Map<String, Tensor> trained = trainer.model().weights().export();
      Map<String, Tensor> published = trainer.published().weights().export();
      MdnRnnTrainer.Batch poisoned = randomWalks(4, 8, 22);
      poisoned.rewards()[3] = Float.NaN;
      MdnRnnTrainer.Batch overflowing = randomWalks(4, 8, 23);
      overflowing.mu()[MdnSpec.LATENT + 1] = Float.MAX_VALUE;

      MdnRnnTrainer.Losses nan = trainer.step(poisoned);
      MdnRnnTrainer.Losses infinite = trainer.step(overflowing);

      assertThat(nan.total()).isNaN();
      assertThat(Double.isFinite(infinite.total())).isFalse();
      assertThat(trainer.steps()).isEqualTo(1);
      assertThat(trainer.skippedSteps()).isEqualTo(2);
      assertThat(maxDifference(trainer.model().weights().export(), trained)).isZero();
      assertThat(maxDifference(trainer.published().weights().export(), published)).isZero();

      // The next good step trains as if the refused ones had never come.
      MdnRnnTrainer.Losses next = trainer.step(good);
      assertThat(next.total()).isFinite();
      assertThat(trainer.steps()).isEqualTo(2);
      assertThat(maxDifference(trainer.model().weights().export(), trained)).isPositive();
    }
  }

  @Test
  void shouldTrainOnAThreadThatNeverStartedTheEngine() throws Exception {
    // PyTorch records gradients by default on a new thread; a Flink task thread after a restart is
    // one. Updates must still work there.
    try (NDManager manager = NDManager.newBaseManager()) {
      MdnRnnTrainer trainer = new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0);
      MdnRnnTrainer.Batch batch = randomWalks(2, 4, 8);
      java.util.concurrent.atomic.AtomicReference<Throwable> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread fresh =
          new Thread(
              () -> {
                try {
                  trainer.step(batch);
                  trainer.step(batch);
                } catch (Throwable e) {
                  failure.set(e);
                }
              });
      fresh.start();
      fresh.join();
      assertThat(failure.get()).isNull();
      assertThat(trainer.steps()).isEqualTo(2);
    }
  }
}
