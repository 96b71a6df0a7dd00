package io.worldstream.train.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.worldstream.models.Tensor;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.train.Weights;
import java.util.Map;

/**
 * The World Models VAE in DJL, written as a forward function over {@link Weights} named as in
 * {@link VaeSpec}, so the ONNX graphs of the models module take the same weights unchanged.
 *
 * <p>DJL's Conv2dTranspose is not implemented on the PyTorch engine, so a stride-2 transposed
 * convolution with weights W [in, out, k, k] is computed as what it equals: the input with zeros
 * inserted between its pixels and a border of k − 1 zeros around it, convolved (stride 1, no
 * padding) with W flipped in space and with its channel axes swapped. The weights keep
 * ConvTranspose's layout and meaning.
 */
public final class DjlVae {

  private final Weights weights;

  private DjlVae(Weights weights) {
    this.weights = weights;
  }

  public static DjlVae initialise(NDManager manager) {
    return new DjlVae(Weights.initialise(manager, VaeSpec.weightShapes()));
  }

  public static DjlVae of(NDManager manager, Map<String, Tensor> tensors) {
    return new DjlVae(Weights.of(manager, tensors));
  }

  public Weights weights() {
    return weights;
  }

  /** frames [B, 3, 64, 64] → (mu, logvar), each [B, 32]. */
  public NDList encode(NDArray frames) {
    NDArray x = frames;
    for (int i = 1; i <= VaeSpec.ENCODER_CHANNELS.length; i++) {
      x =
          Conv2d.conv2d(
                  x,
                  weights.get("encoder.conv" + i + ".weight"),
                  weights.get("encoder.conv" + i + ".bias"),
                  new Shape(VaeSpec.STRIDE, VaeSpec.STRIDE))
              .singletonOrThrow();
      x = Activation.relu(x);
    }
    NDArray h = x.reshape(x.getShape().get(0), VaeSpec.FEATURES);
    return new NDList(dense("encoder.mu", h), dense("encoder.logvar", h));
  }

  /** z [B, 32] → reconstruction [B, 3, 64, 64] in (0, 1). */
  public NDArray decode(NDArray z) {
    NDArray x =
        Activation.relu(dense("decoder.fc", z))
            .reshape(z.getShape().get(0), VaeSpec.FEATURES, 1, 1);
    for (int i = 1; i <= VaeSpec.DECODER_CHANNELS.length; i++) {
      x =
          convTranspose(
              x,
              weights.get("decoder.deconv" + i + ".weight"),
              weights.get("decoder.deconv" + i + ".bias"));
      x = i < VaeSpec.DECODER_CHANNELS.length ? Activation.relu(x) : Activation.sigmoid(x);
    }
    return x;
  }

  private NDArray dense(String layer, NDArray x) {
    return Linear.linear(x, weights.get(layer + ".weight"), weights.get(layer + ".bias"))
        .singletonOrThrow();
  }

  /**
   * ConvTranspose(stride 2) = zero insertion and a border of k − 1 zeros, then an unpadded stride-1
   * convolution with the kernel flipped.
   */
  static NDArray convTranspose(NDArray x, NDArray weight, NDArray bias) {
    int k = Math.toIntExact(weight.getShape().get(2));
    NDArray kernel = weight.flip(2, 3).transpose(1, 0, 2, 3);
    return Conv2d.conv2d(spread(x, k - 1), kernel, bias).singletonOrThrow();
  }

  /**
   * [B, C, H, W] → [B, C, 2H − 1 + 2p, 2W − 1 + 2p]: input pixel (y, x) moves to (p + 2y, p + 2x)
   * and every other pixel is zero. Built from contiguous stacks and a constant pad, so that the
   * convolution after it needs no padding of its own: the earlier form, slices of stacked views fed
   * to a convolution padded by k − 1, gave this layer's input a wrong gradient (NaN, or a wrong
   * value) on some AVX-512 machines, while its output and its weight gradient stayed right.
   */
  static NDArray spread(NDArray x, int p) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    NDArray columns = NDArrays.stack(new NDList(x, x.zerosLike()), 4).reshape(b, c, h, 2 * w);
    NDArray both =
        NDArrays.stack(new NDList(columns, columns.zerosLike()), 3).reshape(b, c, 2 * h, 2 * w);
    // Each axis already ends in one zero; pad (left, right, top, bottom) to p zeros on every side.
    return both.pad(new Shape(p, p - 1, p, p - 1), 0);
  }
}
