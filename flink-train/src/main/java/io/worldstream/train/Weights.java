package io.worldstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.worldstream.models.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's trainable weights as DJL arrays, by the names its ONNX graph uses, so that export is a
 * copy and DJL ↔ ONNX Runtime parity is a matter of the forward passes alone.
 */
public final class Weights {

  private final Map<String, NDArray> arrays = new LinkedHashMap<>();

  /** Whether the arrays record gradients: false for a copy that is only read, e.g. an average. */
  private final boolean trainable;

  private Weights() {
    this(true);
  }

  private Weights(boolean trainable) {
    this.trainable = trainable;
  }

  /**
   * PyTorch's default initialisation for conv and linear layers: weights and biases uniform in
   * ±1/√fan_in, where fan_in is the weight's size divided by its first dimension (for transposed
   * convolutions, PyTorch uses the second dimension times the kernel).
   */
  public static Weights initialise(NDManager manager, Map<String, long[]> shapes) {
    Weights w = new Weights();
    long lastFanIn = 1;
    for (var entry : shapes.entrySet()) {
      long[] shape = entry.getValue();
      long fanIn;
      if (shape.length == 1) {
        fanIn = lastFanIn;
      } else if (entry.getKey().contains("deconv")) {
        fanIn = shape[1] * shape[2] * shape[3];
      } else {
        long size = 1;
        for (long d : shape) {
          size *= d;
        }
        fanIn = size / shape[0];
      }
      lastFanIn = fanIn;
      float bound = (float) (1 / Math.sqrt(fanIn));
      w.put(entry.getKey(), manager.randomUniform(-bound, bound, new Shape(shape)));
    }
    return w;
  }

  /** Every weight uniform in ±bound (PyTorch's LSTM initialisation uses ±1/√hidden). */
  public static Weights uniform(NDManager manager, Map<String, long[]> shapes, float bound) {
    Weights w = new Weights();
    shapes.forEach(
        (name, shape) -> w.put(name, manager.randomUniform(-bound, bound, new Shape(shape))));
    return w;
  }

  /** Weights copied from tensors (e.g. a shipped model, or another runtime's). */
  public static Weights of(NDManager manager, Map<String, Tensor> tensors) {
    Weights w = new Weights();
    tensors.forEach((name, t) -> w.put(name, array(manager, t)));
    return w;
  }

  /**
   * A copy of these weights in {@code manager} that records no gradients, so it may be written in
   * place at any time (e.g. a running average of them).
   */
  public Weights untrainedCopy(NDManager manager) {
    Weights copy = new Weights(false);
    arrays.forEach((name, a) -> copy.put(name, manager.create(a.toFloatArray(), a.getShape())));
    return copy;
  }

  /** A tensor as a DJL array in {@code manager}. */
  static NDArray array(NDManager manager, Tensor tensor) {
    return manager.create(tensor.data(), new Shape(tensor.shape()));
  }

  /**
   * Sets every weight to the value of the tensor of the same name (e.g. from a Flink checkpoint).
   * The arrays are replaced, not written in place: PyTorch refuses in-place writes to weights that
   * require gradients whenever gradient recording is on, which it is on a thread that has not yet
   * trained.
   *
   * @throws IllegalArgumentException unless the tensors name exactly these weights, in their shapes
   */
  public void restore(Map<String, Tensor> tensors) {
    if (!tensors.keySet().equals(arrays.keySet())) {
      throw new IllegalArgumentException(
          "the tensors name " + tensors.keySet() + ", the model's weights are " + arrays.keySet());
    }
    tensors.forEach(
        (name, t) -> {
          NDArray w = arrays.get(name);
          if (!w.getShape().equals(new Shape(t.shape()))) {
            throw new IllegalArgumentException(
                name + ": shape " + new Shape(t.shape()) + ", the model's is " + w.getShape());
          }
          put(name, array(w.getManager(), t));
          w.close();
        });
  }

  private void put(String name, NDArray array) {
    array.setName(name);
    array.setRequiresGradient(trainable);
    arrays.put(name, array);
  }

  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no weight " + name);
    }
    return a;
  }

  public Map<String, NDArray> all() {
    return arrays;
  }

  /** The current values as plain tensors, for ONNX graphs. */
  public Map<String, Tensor> export() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    arrays.forEach(
        (name, a) ->
            tensors.put(name, new Tensor(name, a.getShape().getShape(), a.toFloatArray())));
    return tensors;
  }

  /**
   * Sets every weight's gradient to zero, NaN and infinities included (a step whose gradients were
   * not finite leaves some). DJL's PyTorch engine accumulates gradients across backward passes (as
   * PyTorch does), so each training step must start from zero.
   *
   * <p>PyTorch's own {@code zero_} on the gradient in place: {@code muli(0)} would keep NaN (0 ×
   * NaN is NaN), and DJL's {@code set(float[])} would point the gradient's storage at a Java buffer
   * that is freed once the array wrapping it is collected, so a later backward pass would write
   * into freed memory.
   */
  public void zeroGradients() {
    for (NDArray w : arrays.values()) {
      if (w.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) w);
      }
    }
  }

  public long parameterCount() {
    return arrays.values().stream().mapToLong(NDArray::size).sum();
  }
}
