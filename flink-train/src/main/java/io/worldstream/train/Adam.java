package io.worldstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.worldstream.models.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", 2015, Algorithm 1, in the
 * efficient form of its section 2: α_t = α·√(1 − β₂ᵗ)/(1 − β₁ᵗ), θ ← θ − α_t·m/(√v + ε)) whose
 * state — the step count and both moment estimates per weight — is plain named arrays, so a
 * trainer's optimizer can be checkpointed in Flink state and restored exactly. (DJL's own Adam
 * keeps its moments private.)
 */
public final class Adam {

  /** β₁, β₂ and ε as the paper recommends. */
  public static final float BETA1 = 0.9f;

  public static final float BETA2 = 0.999f;
  public static final float EPSILON = 1e-8f;

  /**
   * Everything Adam carries from one step to the next.
   *
   * @param step updates made so far (t in the paper)
   * @param firstMoments m per weight, by the weight's name
   * @param secondMoments v per weight, by the weight's name
   */
  public record State(
      long step, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments) {
    public State {
      firstMoments = Map.copyOf(firstMoments);
      secondMoments = Map.copyOf(secondMoments);
    }
  }

  private final NDManager manager;
  private final float learningRate;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  /**
   * @param manager owns the moment estimates, for as long as the optimizer lives
   */
  public Adam(NDManager manager, float learningRate) {
    this.manager = manager;
    this.learningRate = learningRate;
  }

  public long step() {
    return step;
  }

  /** One update of every weight from its gradient. Call outside a gradient collector. */
  public void update(Weights weights) {
    step++;
    double alpha =
        learningRate * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> entry : weights.all().entrySet()) {
        NDArray w = entry.getValue();
        NDArray g = w.getGradient();
        NDArray first = m.computeIfAbsent(entry.getKey(), k -> zerosLike(w));
        NDArray second = v.computeIfAbsent(entry.getKey(), k -> zerosLike(w));
        first.muli(BETA1).addi(g.mul(1 - BETA1));
        second.muli(BETA2).addi(g.square().muli(1 - BETA2));
        w.subi(first.div(second.sqrt().addi(EPSILON)).muli((float) alpha));
      }
    }
  }

  private NDArray zerosLike(NDArray w) {
    NDArray zeros = manager.zeros(w.getShape(), w.getDataType());
    NDScope.unregister(zeros);
    return zeros;
  }

  /** A copy of the state, detached from any engine. */
  public State export() {
    return new State(step, tensors(m), tensors(v));
  }

  /** Replaces the state with {@code state}, e.g. from a Flink checkpoint. */
  public void restore(State state) {
    if (!state.firstMoments().keySet().equals(state.secondMoments().keySet())) {
      throw new IllegalArgumentException("first and second moments name different weights");
    }
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
    state.firstMoments().forEach((name, t) -> m.put(name, Weights.array(manager, t)));
    state.secondMoments().forEach((name, t) -> v.put(name, Weights.array(manager, t)));
    step = state.step();
  }

  private static Map<String, Tensor> tensors(Map<String, NDArray> arrays) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    arrays.forEach(
        (name, a) -> out.put(name, new Tensor(name, a.getShape().getShape(), a.toFloatArray())));
    return out;
  }
}
