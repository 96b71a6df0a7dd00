package io.worldstream.train.mdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.worldstream.models.mdn.MdnSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MdnLossTest {

  @Test
  void shouldEqualTheNegativeLogDensityOfTheMixture() {
    float[] mask = {1, 1, 1, 1, 1, 0};
    assertMatchesDirectComputation(mask, mask);
  }

  /** An episode's last step has no next latent: its reward and end train, its latent does not. */
  @Test
  void shouldLeaveOutOfTheLikelihoodTheStepsTheLatentMaskDrops() {
    assertMatchesDirectComputation(new float[] {1, 1, 1, 1, 1, 0}, new float[] {1, 1, 0, 1, 0, 0});
  }

  private static void assertMatchesDirectComputation(float[] mask, float[] latentMask) {
    Random random = new Random(1);
    int b = 2;
    int t = 3;
    float[] head = new float[b * t * MdnSpec.HEAD];
    for (int i = 0; i < head.length; i++) {
      head[i] = (float) (random.nextGaussian() * 0.5);
    }
    float[] zNext = new float[b * t * MdnSpec.LATENT];
    float[] reward = new float[b * t];
    float[] done = new float[b * t];
    for (int i = 0; i < zNext.length; i++) {
      zNext[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < b * t; i++) {
      reward[i] = (float) random.nextGaussian();
      done[i] = i % 2;
    }

    // Direct: p(z) = Σ_k π_k · exp(−(z − μ)² / 2σ²) / (σ √(2π)), per dimension, masked mean.
    double nll = 0;
    double mse = 0;
    double bce = 0;
    int m = MdnSpec.MIXTURE_OUTPUTS;
    for (int s = 0; s < b * t; s++) {
      if (mask[s] == 0) {
        continue;
      }
      int base = s * MdnSpec.HEAD;
      for (int d = 0; d < MdnSpec.LATENT && latentMask[s] == 1; d++) {
        double norm = 0;
        for (int k = 0; k < MdnSpec.MIXTURES; k++) {
          norm += Math.exp(head[base + d * MdnSpec.MIXTURES + k]);
        }
        double density = 0;
        for (int k = 0; k < MdnSpec.MIXTURES; k++) {
          int i = d * MdnSpec.MIXTURES + k;
          double pi = Math.exp(head[base + i]) / norm;
          double mu = head[base + m + i];
          double sigma = Math.exp(head[base + 2 * m + i]);
          double y = zNext[s * MdnSpec.LATENT + d];
          density +=
              pi
                  * Math.exp(-(y - mu) * (y - mu) / (2 * sigma * sigma))
                  / (sigma * Math.sqrt(2 * Math.PI));
        }
        nll -= Math.log(density);
      }
      mse += Math.pow(head[base + 3 * m] - reward[s], 2);
      double p = 1 / (1 + Math.exp(-head[base + 3 * m + 1]));
      bce -= done[s] * Math.log(p) + (1 - done[s]) * Math.log(1 - p);
    }
    int kept = 0;
    int keptLatents = 0;
    for (int s = 0; s < b * t; s++) {
      kept += (int) mask[s];
      keptLatents += (int) latentMask[s];
    }
    nll /= keptLatents * MdnSpec.LATENT;
    mse /= kept;
    bce /= kept;

    try (NDManager manager = NDManager.newBaseManager()) {
      NDList losses =
          MdnLoss.of(
              manager.create(head, new Shape(b, t, MdnSpec.HEAD)),
              manager.create(zNext, new Shape(b, t, MdnSpec.LATENT)),
              manager.create(reward, new Shape(b, t)),
              manager.create(done, new Shape(b, t)),
              manager.create(mask, new Shape(b, t)),
              manager.create(latentMask, new Shape(b, t)));
      assertThat(losses.get(1).getFloat()).isCloseTo((float) nll, within(1e-4f));
      assertThat(losses.get(2).getFloat()).isCloseTo((float) mse, within(1e-4f));
      assertThat(losses.get(3).getFloat()).isCloseTo((float) bce, within(1e-4f));
      assertThat(losses.get(0).getFloat()).isCloseTo((float) (nll + mse + bce), within(1e-4f));
    }
  }

  @Test
  void shouldBackpropagateTheGradientThatFiniteDifferencesGive() {
    Engine.getInstance().setRandomSeed(2);
    try (NDManager manager = NDManager.newBaseManager()) {
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      Random random = new Random(3);
      int b = 2;
      int t = 4;
      float[] z = new float[b * (t + 1) * MdnSpec.LATENT];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) random.nextGaussian();
      }
      float[] a = new float[b * t * MdnSpec.ACTIONS];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
      }
      float[] reward = new float[b * t];
      float[] done = new float[b * t];
      float[] mask = new float[b * t];
      java.util.Arrays.fill(mask, 1);
      reward[3] = 1;
      done[7] = 1;

      // One weight of the LSTM's input matrix (row of the g gate) and one of the head's μ biases.
      check(
          manager,
          rnn,
          "lstm.weight_ih",
          2 * MdnSpec.HIDDEN * MdnSpec.INPUT + 5,
          z,
          a,
          reward,
          done,
          mask,
          b,
          t);
      check(manager, rnn, "head.bias", MdnSpec.MIXTURE_OUTPUTS + 7, z, a, reward, done, mask, b, t);
      // Twice in a row: gradients must not carry over from one backward pass to the next.
      check(manager, rnn, "head.bias", MdnSpec.MIXTURE_OUTPUTS + 7, z, a, reward, done, mask, b, t);
    }
  }

  private static void check(
      NDManager manager,
      DjlMdnRnn rnn,
      String weight,
      int index,
      float[] z,
      float[] a,
      float[] reward,
      float[] done,
      float[] mask,
      int b,
      int t) {
    NDArray w = rnn.weights().get(weight);
    double analytic;
    rnn.weights().zeroGradients();
    try (NDManager step = manager.newSubManager()) {
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = loss(step, rnn, z, a, reward, done, mask, b, t);
        collector.backward(loss);
      }
      analytic = w.getGradient().toFloatArray()[index];
    }
    double eps = 1e-2;
    float[] values = w.toFloatArray();
    float original = values[index];
    values[index] = (float) (original + eps);
    w.set(values);
    double plus = lossValue(manager, rnn, z, a, reward, done, mask, b, t);
    values[index] = (float) (original - eps);
    w.set(values);
    double minus = lossValue(manager, rnn, z, a, reward, done, mask, b, t);
    values[index] = original;
    w.set(values);
    double numeric = (plus - minus) / (2 * eps);
    System.out.printf(
        "%s[%d]: autograd %.6f, finite difference %.6f%n", weight, index, analytic, numeric);
    assertThat(analytic).isCloseTo(numeric, within(Math.max(1e-6, Math.abs(numeric) * 0.02)));
    assertThat(Math.abs(numeric)).as("a gradient worth checking").isGreaterThan(1e-4);
  }

  private static double lossValue(
      NDManager manager,
      DjlMdnRnn rnn,
      float[] z,
      float[] a,
      float[] reward,
      float[] done,
      float[] mask,
      int b,
      int t) {
    try (NDManager step = manager.newSubManager()) {
      return loss(step, rnn, z, a, reward, done, mask, b, t).getFloat();
    }
  }

  private static NDArray loss(
      NDManager step,
      DjlMdnRnn rnn,
      float[] z,
      float[] a,
      float[] reward,
      float[] done,
      float[] mask,
      int b,
      int t) {
    NDArray zs = step.create(z, new Shape(b, t + 1, MdnSpec.LATENT));
    NDArray head =
        rnn.sequence(zs.get(":, 0:" + t + ", :"), step.create(a, new Shape(b, t, MdnSpec.ACTIONS)));
    return MdnLoss.of(
            head,
            zs.get(":, 1:, :"),
            step.create(reward, new Shape(b, t)),
            step.create(done, new Shape(b, t)),
            step.create(mask, new Shape(b, t)))
        .get(0);
  }
}
