package io.worldstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.worldstream.models.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {

  private static final float LR = 0.01f;

  /**
   * Gradients for step t of a weight of n values: fixed pseudo-random, of either sign and sizes
   * from 5e-4 to 15 (never so small that ε decides the update).
   */
  private static float[] gradient(int t, int n) {
    Random random = new Random(1_000 + t);
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      double size = (0.5 + random.nextDouble()) * Math.pow(10, random.nextInt(5) - 3);
      g[i] = (float) (random.nextBoolean() ? size : -size);
    }
    return g;
  }

  private static Weights weights(NDManager manager, float[] values) {
    return Weights.of(manager, Map.of("w", new Tensor("w", new long[] {values.length}, values)));
  }

  /** Makes {@code g} the gradient of {@code w}, by back-propagating Σ w·g. */
  private static void setGradient(NDArray w, float[] g) {
    try (NDArray gradient = w.getGradient()) {
      gradient.muli(0);
    }
    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
        NDArray c = w.getManager().create(g)) {
      collector.backward(w.mul(c).sum());
    }
  }

  @Test
  void shouldFollowAlgorithmOneOfThePaper() {
    int n = 64;
    float[] start = new float[n];
    for (int i = 0; i < n; i++) {
      start[i] = (float) Math.sin(i);
    }
    // Kingma & Ba, Algorithm 1, in doubles: bias-corrected m̂ and v̂, ε added to √v̂.
    double[] theta = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      theta[i] = start[i];
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights weights = weights(manager, start);
      Adam adam = new Adam(manager, LR);
      for (int t = 1; t <= 50; t++) {
        float[] g = gradient(t, n);
        setGradient(weights.get("w"), g);
        adam.update(weights);
        for (int i = 0; i < n; i++) {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          double mHat = m[i] / (1 - Math.pow(0.9, t));
          double vHat = v[i] / (1 - Math.pow(0.999, t));
          theta[i] -= LR * mHat / (Math.sqrt(vHat) + 1e-8);
        }
      }
      float[] got = weights.get("w").toFloatArray();
      for (int i = 0; i < n; i++) {
        // ε sits on √v in the efficient form, on √v̂ in Algorithm 1: a difference far below 1e-5
        // here, where gradients are at least 5e-4.
        assertThat((double) got[i]).as("weight %d", i).isCloseTo(theta[i], within(2e-5));
      }
      assertThat(adam.step()).isEqualTo(50);
    }
  }

  @Test
  void shouldAgreeWithDjlsOwnAdam() {
    int n = 32;
    float[] start = new float[n];
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights ours = weights(manager, start);
      NDArray theirs = manager.zeros(new Shape(n));
      Adam adam = new Adam(manager, LR);
      Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build();
      for (int t = 1; t <= 30; t++) {
        float[] g = gradient(t, n);
        setGradient(ours.get("w"), g);
        adam.update(ours);
        djl.update("w", theirs, manager.create(g));
      }
      float[] a = ours.get("w").toFloatArray();
      float[] b = theirs.toFloatArray();
      for (int i = 0; i < n; i++) {
        assertThat(a[i]).as("weight %d", i).isCloseTo(b[i], within(1e-6f));
      }
    }
  }

  @Test
  void shouldContinueIdenticallyFromAnExportedState() {
    int n = 16;
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights straight = weights(manager, new float[n]);
      Adam uninterrupted = new Adam(manager, LR);
      Weights resumed = weights(manager, new float[n]);
      Adam first = new Adam(manager, LR);
      for (int t = 1; t <= 10; t++) {
        setGradient(straight.get("w"), gradient(t, n));
        uninterrupted.update(straight);
        setGradient(resumed.get("w"), gradient(t, n));
        first.update(resumed);
      }
      Adam.State saved = first.export();
      Adam second = new Adam(manager, LR);
      second.restore(saved);
      Adam fresh = new Adam(manager, LR); // the control: same weights, optimizer state lost
      Weights control = weights(manager, resumed.get("w").toFloatArray());
      for (int t = 11; t <= 20; t++) {
        setGradient(straight.get("w"), gradient(t, n));
        uninterrupted.update(straight);
        setGradient(resumed.get("w"), gradient(t, n));
        second.update(resumed);
        setGradient(control.get("w"), gradient(t, n));
        fresh.update(control);
      }
      assertThat(resumed.get("w").toFloatArray()).containsExactly(straight.get("w").toFloatArray());
      assertThat(second.step()).isEqualTo(20);
      assertThat(control.get("w").toFloatArray()).isNotEqualTo(straight.get("w").toFloatArray());
    }
  }
}
