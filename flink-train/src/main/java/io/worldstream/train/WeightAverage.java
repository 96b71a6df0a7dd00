package io.worldstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.worldstream.models.Tensor;
import java.util.Map;

/**
 * An exponential moving average of a model's weights (Polyak averaging): after the t-th update, avg
 * ← d·avg + (1 − d)·w with d = min(decay, (1 + t)/(10 + t)), the ramp TensorFlow's
 * ExponentialMovingAverage uses so that the first steps do not keep the initial weights for long.
 * The average of weights trained on small, noisy minibatches moves far less from one published
 * version to the next than the weights themselves, and it averages out the noise of the last few
 * hundred steps rather than keeping where the last one left the model.
 */
public final class WeightAverage {

  private final double decay;
  private final Weights average;

  /**
   * @param weights the trained weights; the average starts as a copy of them
   * @param decay d in (0, 1): the average's memory is about 1 / (1 − d) updates
   */
  WeightAverage(NDManager manager, Weights weights, double decay) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("the average's decay must lie in (0, 1), not " + decay);
    }
    this.decay = decay;
    this.average = weights.untrainedCopy(manager);
  }

  /** The decay applied after update number {@code step} (counted from 1). */
  public static double decayAt(double decay, long step) {
    return Math.min(decay, (1.0 + step) / (10.0 + step));
  }

  /** Moves the average toward {@code weights} after update number {@code step}. */
  void update(Weights weights, long step) {
    float d = (float) decayAt(decay, step);
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> entry : average.all().entrySet()) {
        entry.getValue().muli(d).addi(weights.get(entry.getKey()).mul(1 - d));
      }
    }
  }

  /** The average as weights a model can run on; they change in place with every update. */
  public Weights weights() {
    return average;
  }

  Map<String, Tensor> export() {
    return average.export();
  }

  void restore(Map<String, Tensor> tensors) {
    average.restore(tensors);
  }
}
