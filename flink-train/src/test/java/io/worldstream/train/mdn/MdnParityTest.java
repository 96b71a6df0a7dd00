package io.worldstream.train.mdn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-step MDN-RNN in DJL and in ONNX Runtime on the same weights. */
class MdnParityTest {

  private static NDManager manager;
  private static DjlMdnRnn rnn;
  private static MdnRnnStep onnx;

  @BeforeAll
  static void build() {
    Engine.getInstance().setRandomSeed(5);
    manager = NDManager.newBaseManager();
    rnn = DjlMdnRnn.initialise(manager);
    onnx = MdnRnnStep.load(MdnGraphs.step(rnn.weights().export(), "parity"), 2);
  }

  @AfterAll
  static void close() {
    onnx.close();
    manager.close();
  }

  @Test
  void shouldHaveTheExpectedParameterCount() {
    // LSTM 4·256·(35 + 256) + 2·4·256 biases, head 482·256 + 482.
    assertThat(rnn.weights().parameterCount()).isEqualTo(4L * 256 * 291 + 2048 + 482L * 256 + 482);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1024})
  void shouldStepIdenticallyInDjlAndOnnxRuntime(int batch) {
    double worst = maxDifference(onnx, batch);
    System.out.printf("MDN-RNN step batch %d: max |Δ| %.2e%n", batch, worst);
    assertThat(worst).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void shouldCatchAWrongGateOrder() {
    // PyTorch's order passed through unchanged: ONNX would read f as o, g as f and o as c.
    int[] identity = {0, 1, 2, 3};
    try (MdnRnnStep wrong =
        MdnRnnStep.load(MdnGraphs.step(rnn.weights().export(), "wrong", identity), 1)) {
      double worst = maxDifference(wrong, 7);
      System.out.printf("MDN-RNN step with PyTorch gate order in ONNX: max |Δ| %.2e%n", worst);
      assertThat(worst).isGreaterThan(1e-2);
    }
  }

  @Test
  void shouldMaskTheHeadsAsTheTrainingPassDoes() {
    int batch = 3;
    int steps = 5;
    Random random = new Random(11);
    float[] z = gaussian(random, batch * steps * MdnSpec.LATENT, 1);
    float[] a = gaussian(random, batch * steps * MdnSpec.ACTIONS, 0.5);
    float[] mask = new float[batch * MdnSpec.HIDDEN];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < 0.3 ? 0f : 1 / 0.7f;
    }
    try (NDManager step = manager.newSubManager()) {
      float[] head =
          rnn.sequence(
                  step.create(z, new Shape(batch, steps, MdnSpec.LATENT)),
                  step.create(a, new Shape(batch, steps, MdnSpec.ACTIONS)),
                  step.create(mask, new Shape(batch, MdnSpec.HIDDEN)))
              .toFloatArray();
      float[] h = new float[batch * MdnSpec.HIDDEN];
      float[] c = new float[batch * MdnSpec.HIDDEN];
      double worst = 0;
      double unmaskedDiffers = 0;
      int m = MdnSpec.MIXTURE_OUTPUTS;
      for (int t = 0; t < steps; t++) {
        float[] zt = new float[batch * MdnSpec.LATENT];
        float[] at = new float[batch * MdnSpec.ACTIONS];
        for (int b = 0; b < batch; b++) {
          System.arraycopy(
              z, (b * steps + t) * MdnSpec.LATENT, zt, b * MdnSpec.LATENT, MdnSpec.LATENT);
          System.arraycopy(
              a, (b * steps + t) * MdnSpec.ACTIONS, at, b * MdnSpec.ACTIONS, MdnSpec.ACTIONS);
        }
        MdnRnnStep.Output masked = onnx.step(zt, at, h, c, mask, batch);
        MdnRnnStep.Output plain = onnx.step(zt, at, h, c, batch);
        for (int b = 0; b < batch; b++) {
          int base = (b * steps + t) * MdnSpec.HEAD;
          worst = Math.max(worst, Math.abs(head[base + 3 * m] - masked.reward()[b]));
          for (int i = 0; i < m; i++) {
            worst = Math.max(worst, Math.abs(head[base + m + i] - masked.mu()[b * m + i]));
          }
          unmaskedDiffers =
              Math.max(unmaskedDiffers, Math.abs(plain.reward()[b] - masked.reward()[b]));
        }
        assertThat(masked.h()).as("h itself is never masked").containsExactly(plain.h());
        h = masked.h();
        c = masked.c();
      }
      System.out.printf("MDN-RNN masked heads, DJL sequence vs ONNX steps: max |Δ| %.2e%n", worst);
      assertThat(onnx.takesHeadMask()).isTrue();
      assertThat(worst).isLessThanOrEqualTo(1e-5);
      assertThat(unmaskedDiffers).as("the mask changes the prediction").isGreaterThan(1e-3);
    }
  }

  /** Runs both on the same random inputs and returns the largest difference over all outputs. */
  private static double maxDifference(MdnRnnStep model, int batch) {
    Random random = new Random(batch);
    float[] z = gaussian(random, batch * MdnSpec.LATENT, 1);
    float[] a = gaussian(random, batch * MdnSpec.ACTIONS, 0.5);
    float[] h = gaussian(random, batch * MdnSpec.HIDDEN, 0.3);
    float[] c = gaussian(random, batch * MdnSpec.HIDDEN, 0.3);
    MdnRnnStep.Output out = model.step(z, a, h, c, batch);
    try (NDManager step = manager.newSubManager()) {
      NDList djl =
          rnn.step(
              step.create(z, new Shape(batch, MdnSpec.LATENT)),
              step.create(a, new Shape(batch, MdnSpec.ACTIONS)),
              step.create(h, new Shape(batch, MdnSpec.HIDDEN)),
              step.create(c, new Shape(batch, MdnSpec.HIDDEN)));
      float[] head = djl.get(0).toFloatArray();
      int m = MdnSpec.MIXTURE_OUTPUTS;
      double worst = 0;
      for (int b = 0; b < batch; b++) {
        int base = b * MdnSpec.HEAD;
        for (int d = 0; d < MdnSpec.LATENT; d++) {
          // log π from the logits, as the ONNX graph's LogSoftmax does.
          double max = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < MdnSpec.MIXTURES; k++) {
            max = Math.max(max, head[base + d * MdnSpec.MIXTURES + k]);
          }
          double sum = 0;
          for (int k = 0; k < MdnSpec.MIXTURES; k++) {
            sum += Math.exp(head[base + d * MdnSpec.MIXTURES + k] - max);
          }
          for (int k = 0; k < MdnSpec.MIXTURES; k++) {
            int i = d * MdnSpec.MIXTURES + k;
            double logPi = head[base + i] - max - Math.log(sum);
            worst = Math.max(worst, Math.abs(logPi - out.logPi()[b * m + i]));
            worst = Math.max(worst, Math.abs(head[base + m + i] - out.mu()[b * m + i]));
            worst = Math.max(worst, Math.abs(head[base + 2 * m + i] - out.logSigma()[b * m + i]));
          }
        }
        worst = Math.max(worst, Math.abs(head[base + 3 * m] - out.reward()[b]));
        worst =
            Math.max(worst, Math.abs(1 / (1 + Math.exp(-head[base + 3 * m + 1])) - out.done()[b]));
      }
      worst = Math.max(worst, maxAbs(djl.get(1).toFloatArray(), out.h()));
      return Math.max(worst, maxAbs(djl.get(2).toFloatArray(), out.c()));
    }
  }

  private static float[] gaussian(Random random, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }

  private static double maxAbs(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
