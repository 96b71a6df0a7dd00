package io.worldstream.models;

import java.util.Arrays;

/** A named float tensor, row-major: how weights travel between training (DJL) and ONNX graphs. */
public record Tensor(String name, long[] shape, float[] data) {

  public Tensor {
    shape = shape.clone();
    long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (size != data.length) {
      throw new IllegalArgumentException(
          name
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values, got "
              + data.length);
    }
  }

  public int size() {
    return data.length;
  }
}
