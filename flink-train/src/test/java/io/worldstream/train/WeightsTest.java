package io.worldstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.worldstream.models.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightsTest {

  /** Back-propagates Σ w·{@code by}, which adds {@code by} to w's gradient. */
  private static void backward(NDManager manager, Weights weights, float[] by) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(weights.get("w").mul(step.create(by)).sum());
    }
  }

  private static float[] gradient(Weights weights) {
    try (NDArray g = weights.get("w").getGradient()) {
      return g.toFloatArray();
    }
  }

  @Test
  void shouldZeroGradientsThatAreNotFinite() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights weights =
          Weights.of(manager, Map.of("w", new Tensor("w", new long[] {3}, new float[] {1, 2, 3})));
      backward(manager, weights, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1});

      weights.zeroGradients();

      assertThat(gradient(weights)).containsExactly(0f, 0f, 0f);
    }
  }

  @Test
  void shouldKeepAccumulatingIntoItsOwnGradientsAfterZeroingThem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Weights weights =
          Weights.of(manager, Map.of("w", new Tensor("w", new long[] {256}, new float[256])));
      float[] ones = new float[256];
      java.util.Arrays.fill(ones, 1);
      for (int round = 0; round < 20; round++) {
        backward(manager, weights, new float[256]);
        weights.zeroGradients();
        // Whatever Java memory the zeroing might have used is collected and reused meanwhile.
        System.gc();
        List<ByteBuffer> reused = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          ByteBuffer b = ByteBuffer.allocateDirect(256 * Float.BYTES);
          while (b.hasRemaining()) {
            b.put((byte) 0x7f);
          }
          reused.add(b);
        }

        backward(manager, weights, ones);

        assertThat(gradient(weights)).as("round %d", round).containsOnly(1f);
        assertThat(reused).hasSize(64);
      }
    }
  }
}
