package io.worldstream.models.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.worldstream.models.ModelVersion;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model with float inputs and outputs, loaded into ONNX Runtime after checking that its
 * inputs and outputs are the ones expected. Runs batches; every tensor and result is closed.
 * Thread-safe.
 */
public final class OnnxModel implements AutoCloseable {

  /** A float input or output: its name and its shape, with -1 for the batch dimension. */
  public record Port(String name, long... shape) {}

  private final OrtRuntime.Session session;
  private final String version;
  private final String kind;

  private OnnxModel(OrtRuntime.Session session, String version, String kind) {
    this.session = session;
    this.version = version;
    this.kind = kind;
  }

  /**
   * Loads a model and checks its ports.
   *
   * @param kind what the model is, for messages ("VAE encoder")
   * @throws IllegalArgumentException if the bytes are not an ONNX model or its ports differ
   */
  public static OnnxModel load(
      String kind, byte[] onnx, List<Port> inputs, List<Port> outputs, int threads) {
    OrtRuntime.Session session;
    try {
      session = OrtRuntime.session(onnx, threads);
    } catch (OrtException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Not a loadable " + kind + " (" + onnx.length + " bytes): " + e.getMessage(), e);
    }
    try {
      checkPorts(kind, "input", session.session().getInputInfo(), inputs);
      checkPorts(kind, "output", session.session().getOutputInfo(), outputs);
    } catch (OrtException | RuntimeException e) {
      session.close();
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException(kind + ": " + e.getMessage(), e);
    }
    return new OnnxModel(session, ModelVersion.of(onnx), kind);
  }

  /** The sha256 of the model's bytes. */
  public String version() {
    return version;
  }

  /** Whether the model takes this input (an optional one, with a default, may be absent). */
  public boolean hasInput(String name) {
    try {
      return session.session().getInputInfo().containsKey(name);
    } catch (OrtException e) {
      throw new IllegalStateException(kind + ": " + e.getMessage(), e);
    }
  }

  public OrtRuntime.Device device() {
    return session.device();
  }

  /**
   * Runs one batch.
   *
   * @param inputs name → (data, shape)
   * @return output name → data, row-major
   */
  public Map<String, float[]> run(Map<String, float[]> inputs, Map<String, long[]> shapes) {
    var env = OrtRuntime.environment();
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        tensors.put(
            e.getKey(),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
      }
      try (OrtSession.Result result = session.session().run(tensors)) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var entry : result) {
          FloatBuffer buffer = ((OnnxTensor) entry.getValue()).getFloatBuffer();
          float[] data = new float[buffer.remaining()];
          buffer.get(data);
          out.put(entry.getKey(), data);
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(kind + " inference failed: " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    session.close();
  }

  private static void checkPorts(
      String kind, String what, Map<String, NodeInfo> actual, List<Port> expected)
      throws OrtException {
    for (Port port : expected) {
      NodeInfo info = actual.get(port.name());
      if (info == null) {
        throw new IllegalArgumentException(
            kind + " has no " + what + " '" + port.name() + "'; it has " + actual.keySet());
      }
      if (!(info.getInfo() instanceof TensorInfo tensor)) {
        throw new IllegalArgumentException(
            kind + " " + what + " '" + port.name() + "' is not a tensor");
      }
      long[] shape = tensor.getShape();
      boolean matches = shape.length == port.shape().length;
      for (int i = 0; matches && i < shape.length; i++) {
        matches = port.shape()[i] < 0 ? shape[i] < 0 : shape[i] == port.shape()[i];
      }
      if (!matches) {
        throw new IllegalArgumentException(
            kind
                + " "
                + what
                + " '"
                + port.name()
                + "' has shape "
                + Arrays.toString(shape)
                + ", expected "
                + Arrays.toString(port.shape()));
      }
    }
  }
}
