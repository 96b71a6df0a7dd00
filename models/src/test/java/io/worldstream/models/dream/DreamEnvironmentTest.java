package io.worldstream.models.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DreamEnvironmentTest {

  private static MdnRnnStep model;
  private static LatentPool pool;

  /** Random MDN-RNN weights at PyTorch's LSTM scale. */
  static Map<String, Tensor> randomWeights(long seed) {
    Random random = new Random(seed);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    MdnSpec.weightShapes()
        .forEach(
            (name, shape) -> {
              int size = 1;
              for (long d : shape) {
                size *= (int) d;
              }
              float[] data = new float[size];
              for (int i = 0; i < size; i++) {
                data[i] = (float) ((random.nextDouble() * 2 - 1) / 16);
              }
              weights.put(name, new Tensor(name, shape, data));
            });
    return weights;
  }

  @BeforeAll
  static void load() {
    model = MdnRnnStep.load(MdnGraphs.step(randomWeights(1), "test"), 1);
    Random random = new Random(2);
    List<float[]> mu = new ArrayList<>();
    List<float[]> logvar = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      float[] m = new float[MdnSpec.LATENT];
      float[] lv = new float[MdnSpec.LATENT];
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        m[d] = (float) random.nextGaussian();
        lv[d] = -3;
      }
      mu.add(m);
      logvar.add(lv);
    }
    pool = new LatentPool(mu, logvar);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<float[]> run(long seed, int n, int steps) {
    DreamEnvironment dream = new DreamEnvironment(model, pool, n, 1.15, 0.5, seed);
    List<float[]> trace = new ArrayList<>();
    trace.add(dream.reset());
    float[] actions = new float[n * 3];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        actions[i * 3] = (float) Math.sin(t + i);
        actions[i * 3 + 1] = 0.5f;
      }
      DreamEnvironment.Step step = dream.step(actions);
      assertThat(step.rewards()).hasSize(n);
      assertThat(step.done()).hasSize(n);
      trace.add(step.features());
    }
    return trace;
  }

  @Test
  void shouldDreamTheSameForTheSameSeed() {
    List<float[]> a = run(9, 16, 20);
    List<float[]> b = run(9, 16, 20);
    List<float[]> c = run(10, 16, 20);
    for (int t = 0; t < a.size(); t++) {
      assertThat(a.get(t)).containsExactly(b.get(t));
    }
    assertThat(a.get(20)).isNotEqualTo(c.get(20));
  }

  @Test
  void shouldGiveTheControllerZThenH() {
    List<float[]> trace = run(3, 4, 3);
    float[] first = trace.get(0);
    assertThat(first).hasSize(4 * DreamEnvironment.FEATURES);
    // After reset the recurrent state is zero; after a step it no longer is.
    for (int i = 0; i < 4; i++) {
      for (int j = MdnSpec.LATENT; j < DreamEnvironment.FEATURES; j++) {
        assertThat(first[i * DreamEnvironment.FEATURES + j]).isZero();
      }
    }
    float[] later = trace.get(3);
    double hNorm = 0;
    for (int j = MdnSpec.LATENT; j < DreamEnvironment.FEATURES; j++) {
      hNorm += Math.abs(later[j]);
    }
    assertThat(hNorm).isGreaterThan(0);
  }

  @Test
  void shouldRefuseActionsForAnotherNumberOfDreams() {
    DreamEnvironment dream = new DreamEnvironment(model, pool, 4, 1.0, 0.5, 1);
    dream.reset();
    assertThatThrownBy(() -> dream.step(new float[9]))
        .hasMessageContaining("expected 12 action values");
  }
}
