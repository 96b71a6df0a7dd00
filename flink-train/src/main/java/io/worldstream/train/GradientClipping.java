package io.worldstream.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * Clipping by global norm: if the gradients of all weights together are longer than {@code max},
 * scale them all by the same factor so they are exactly that long. (DJL's {@code optClipGrad} clips
 * each value instead, which changes the direction.)
 */
public final class GradientClipping {

  private GradientClipping() {}

  /** Clips in place and returns the norm before clipping. */
  public static double clipGlobalNorm(Collection<NDArray> weights, double max) {
    // Sum the squares on the device and read one number, rather than one per weight.
    NDArray total = null;
    for (NDArray w : weights) {
      NDArray squares = w.getGradient().square().sum();
      total = total == null ? squares : total.add(squares);
    }
    double squares = total == null ? 0 : total.getFloat();
    double norm = Math.sqrt(squares);
    if (norm > max && norm > 0) {
      float scale = (float) (max / norm);
      for (NDArray w : weights) {
        try (NDArray g = w.getGradient()) {
          g.muli(scale);
        }
      }
    }
    return norm;
  }
}
