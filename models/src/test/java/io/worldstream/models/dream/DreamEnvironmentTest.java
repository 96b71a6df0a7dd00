package io.worldstream.models.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.models.RandomWeights;
import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DreamEnvironmentTest {

  private static MdnRnnStep model;
  private static LatentPool pool;

  @BeforeAll
  static void load() {
    model = MdnRnnStep.load(MdnGraphs.step(RandomWeights.mdn(1), "test"), 1);
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
  void shouldDreamEachRolloutWithItsOwnDropoutMaskReproducibly() {
    float[] actions = new float[4 * 3];
    float[] whole = firstRewards(new DreamEnvironment(model, pool, 4, 1.0, 0.5, 0, 3), actions);
    float[] dropped = firstRewards(new DreamEnvironment(model, pool, 4, 1.0, 0.5, 0.3, 3), actions);
    float[] again = firstRewards(new DreamEnvironment(model, pool, 4, 1.0, 0.5, 0.3, 3), actions);

    assertThat(dropped).containsExactly(again);
    for (int i = 0; i < 4; i++) {
      assertThat(dropped[i]).as("dream %d, same start, masked", i).isNotEqualTo(whole[i]);
    }
    assertThatThrownBy(() -> new DreamEnvironment(model, pool, 4, 1.0, 0.5, 1, 3))
        .hasMessageContaining("dropout");
  }

  @Test
  void shouldDreamEveryScenarioAlikeForAllWhoPlayIt() {
    int n = 6;
    int scenarios = 3;
    DreamEnvironment dream = new DreamEnvironment(model, pool, n, scenarios, 1.15, 0.5, 0.2, 5);
    float[] actions = new float[n * 3];
    for (int i = 0; i < n; i++) {
      actions[i * 3 + 1] = 0.5f;
    }
    dream.reset();
    float[] features = null;
    float[] rewards = null;
    for (int t = 0; t < 10; t++) {
      DreamEnvironment.Step step = dream.step(actions);
      features = step.features();
      rewards = step.rewards();
    }
    int f = DreamEnvironment.FEATURES;
    for (int i = 0; i < scenarios; i++) {
      float[] first = Arrays.copyOfRange(features, i * f, (i + 1) * f);
      float[] twin = Arrays.copyOfRange(features, (i + scenarios) * f, (i + scenarios + 1) * f);
      assertThat(twin).as("dream %d and %d, one scenario", i, i + scenarios).containsExactly(first);
      assertThat(rewards[i + scenarios]).isEqualTo(rewards[i]);
    }
    assertThat(Arrays.copyOfRange(features, 0, f))
        .as("two scenarios")
        .isNotEqualTo(Arrays.copyOfRange(features, f, 2 * f));

    // The same dreams, each driven differently: those of one scenario now part.
    dream.reset();
    float[] steer = actions.clone();
    steer[scenarios * 3] = 1f;
    float[] parted = dream.step(steer).features();
    assertThat(Arrays.copyOfRange(parted, scenarios * f + MdnSpec.LATENT, (scenarios + 1) * f))
        .isNotEqualTo(Arrays.copyOfRange(parted, MdnSpec.LATENT, f));
    assertThatThrownBy(() -> new DreamEnvironment(model, pool, 4, 5, 1.0, 0.5, 0, 3))
        .hasMessageContaining("scenarios");
  }

  private static float[] firstRewards(DreamEnvironment dream, float[] actions) {
    dream.reset();
    return dream.step(actions).rewards();
  }

  @Test
  void shouldRefuseActionsForAnotherNumberOfDreams() {
    DreamEnvironment dream = new DreamEnvironment(model, pool, 4, 1.0, 0.5, 1);
    dream.reset();
    assertThatThrownBy(() -> dream.step(new float[9]))
        .hasMessageContaining("expected 12 action values");
  }

  /**
   * An MDN-RNN whose every weight is zero but for biases, so its outputs have a closed form: the
   * LSTM's gates are constant (i, f, o = σ(10), g = tanh(0.3)), so c_t = f·c_{t−1} + i·g and h_t =
   * o·tanh(c_t), the same in every unit and dream; the reward head gives 0.7 whatever the input;
   * the done head's logit is 2 − 4·mean(h_t), so the probability of done starts at 0.70 and falls.
   */
  static Map<String, Tensor> closedFormWeights() {
    Map<String, Tensor> weights = RandomWeights.zeros(MdnSpec.weightShapes());
    float[] gates = weights.get("lstm.bias_ih").data();
    int hidden = MdnSpec.HIDDEN;
    for (int u = 0; u < hidden; u++) {
      gates[u] = 10; // input gate (PyTorch order i, f, g, o)
      gates[hidden + u] = 10; // forget gate
      gates[2 * hidden + u] = 0.3f; // cell candidate
      gates[3 * hidden + u] = 10; // output gate
    }
    int reward = 3 * MdnSpec.MIXTURE_OUTPUTS;
    int done = reward + 1;
    weights.get("head.bias").data()[reward] = 0.7f;
    weights.get("head.bias").data()[done] = 2;
    float[] head = weights.get("head.weight").data();
    for (int u = 0; u < hidden; u++) {
      head[done * hidden + u] = -4f / hidden;
    }
    return weights;
  }

  /** The closed form's probability of done after {@code t} steps. */
  private static double doneProbability(int t) {
    double gate = 1 / (1 + Math.exp(-10));
    double c = 0;
    for (int k = 0; k < t; k++) {
      c = gate * c + gate * Math.tanh(0.3);
    }
    double h = gate * Math.tanh(c);
    return 1 / (1 + Math.exp(-(2 - 4 * h)));
  }

  @Test
  void shouldReturnTheRewardHeadAndEndADreamForGoodWhenDoneIsLikely() {
    assertThat(doneProbability(1)).isGreaterThan(0.5);
    assertThat(doneProbability(2)).isLessThan(0.5);
    try (MdnRnnStep closedForm = MdnRnnStep.load(MdnGraphs.step(closedFormWeights(), "test"), 1)) {
      // The model itself follows the closed form (so the stickiness below is tested, not assumed).
      float[] h = new float[MdnSpec.HIDDEN];
      float[] c = new float[MdnSpec.HIDDEN];
      for (int t = 1; t <= 2; t++) {
        MdnRnnStep.Output out =
            closedForm.step(new float[MdnSpec.LATENT], new float[MdnSpec.ACTIONS], h, c, 1);
        assertThat((double) out.done()[0]).isCloseTo(doneProbability(t), within(1e-5));
        h = out.h();
        c = out.c();
      }
      DreamEnvironment dream = new DreamEnvironment(closedForm, pool, 3, 1.0, 0.5, 1);
      dream.reset();
      float[] actions = new float[3 * MdnSpec.ACTIONS];
      for (int t = 1; t <= 4; t++) {
        DreamEnvironment.Step step = dream.step(actions);
        assertThat(step.rewards()).as("step %d", t).containsOnly(0.7f);
        // Done at the first step (p = 0.70 > 0.5), and still done after p fell below the
        // threshold: a dream that ended stays ended.
        assertThat(step.done()).as("step %d", t).containsOnly(true);
      }

      DreamEnvironment patient = new DreamEnvironment(closedForm, pool, 3, 1.0, 0.75, 1);
      patient.reset();
      for (int t = 1; t <= 4; t++) {
        assertThat(patient.step(actions).done()).as("step %d", t).containsOnly(false);
      }
      // Reset starts every dream afresh.
      dream.reset();
      assertThat(dream.step(actions).done()).containsOnly(true);
    }
  }
}
