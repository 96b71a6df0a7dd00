package io.worldstream.models;

import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.VaeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;

/**
 * Weights drawn at random in a model's shapes, for tests: models that work and differ by seed.
 * Shared by every module's tests through this module's test-jar.
 */
public final class RandomWeights {

  private RandomWeights() {}

  /** N(0, scale²) per value, the scale chosen per weight from its name and shape. */
  public static Map<String, Tensor> gaussian(
      Map<String, long[]> shapes, long seed, ToDoubleBiFunction<String, long[]> scale) {
    Random random = new Random(seed);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    shapes.forEach(
        (name, shape) -> {
          float[] data = new float[size(shape)];
          double s = scale.applyAsDouble(name, shape);
          for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * s);
          }
          weights.put(name, new Tensor(name, shape, data));
        });
    return weights;
  }

  /** Uniform in ±bound per value. */
  public static Map<String, Tensor> uniform(Map<String, long[]> shapes, long seed, double bound) {
    Random random = new Random(seed);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    shapes.forEach(
        (name, shape) -> {
          float[] data = new float[size(shape)];
          for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
          }
          weights.put(name, new Tensor(name, shape, data));
        });
    return weights;
  }

  /** Zeros in every shape, for weights a test sets by hand. */
  public static Map<String, Tensor> zeros(Map<String, long[]> shapes) {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    shapes.forEach(
        (name, shape) -> weights.put(name, new Tensor(name, shape, new float[size(shape)])));
    return weights;
  }

  /** A VAE with He-style scales, so activations stay of order one through every layer. */
  public static Map<String, Tensor> vae(long seed) {
    return gaussian(
        VaeSpec.weightShapes(),
        seed,
        (name, shape) -> {
          if (name.endsWith("bias")) {
            return 0.1;
          }
          long fanIn = size(shape) / shape[0];
          if (name.contains("deconv")) {
            fanIn = shape[0] * shape[2] * shape[3] / 4;
          }
          return Math.sqrt(2.0 / fanIn);
        });
  }

  /** An MDN-RNN at PyTorch's LSTM scale (uniform in ±1/16 for 256 hidden units). */
  public static Map<String, Tensor> mdn(long seed) {
    return uniform(MdnSpec.weightShapes(), seed, 1.0 / 16);
  }

  private static int size(long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return Math.toIntExact(size);
  }
}
