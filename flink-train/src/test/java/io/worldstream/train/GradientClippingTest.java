package io.worldstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.worldstream.models.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  /** Two weights whose gradients are (3, 0) and (0, 4, 0): global norm 5. */
  private static Weights withGradients(NDManager manager) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", new Tensor("a", new long[] {2}, new float[2]));
    tensors.put("b", new Tensor("b", new long[] {3}, new float[3]));
    Weights weights = Weights.of(manager, tensors);
    // Back-propagating Σ a·(3, 0) + Σ b·(0, 4, 0) leaves exactly those gradients.
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss =
          weights
              .get("a")
              .mul(manager.create(new float[] {3, 0}))
              .sum()
              .add(weights.get("b").mul(manager.create(new float[] {0, 4, 0})).sum());
      collector.backward(loss);
    }
    return weights;
  }

  private static float[] gradient(Weights weights, String name) {
    try (NDArray g = weights.get(name).getGradient()) {
      return g.toFloatArray();
    }
  }

  @Test
  void shouldScaleAllGradientsTogetherToTheMaximumNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights weights = withGradients(manager);

      double norm = GradientClipping.clipGlobalNorm(weights.all().values(), 1.0);

      assertThat(norm).isCloseTo(5.0, within(1e-6));
      // Direction kept: (3, 0, 0, 4, 0) / 5.
      assertThat(gradient(weights, "a")).containsExactly(new float[] {0.6f, 0f}, within(1e-6f));
      assertThat(gradient(weights, "b")).containsExactly(new float[] {0f, 0.8f, 0f}, within(1e-6f));
    }
  }

  @Test
  void shouldLeaveGradientsWithinTheNormAlone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights weights = withGradients(manager);

      double norm = GradientClipping.clipGlobalNorm(List.copyOf(weights.all().values()), 5.5);

      assertThat(norm).isCloseTo(5.0, within(1e-6));
      assertThat(gradient(weights, "a")).containsExactly(3f, 0f);
      assertThat(gradient(weights, "b")).containsExactly(0f, 4f, 0f);
    }
  }
}
