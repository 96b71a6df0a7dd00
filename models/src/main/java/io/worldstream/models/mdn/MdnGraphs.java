package io.worldstream.models.mdn;

import static io.worldstream.models.onnx.OnnxGraph.BATCH;

import io.worldstream.models.Tensor;
import io.worldstream.models.onnx.OnnxGraph;
import io.worldstream.models.onnx.OnnxGraph.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the MDN-RNN's batched one-step model as an ONNX graph from its (PyTorch-layout) weights.
 */
public final class MdnGraphs {

  /**
   * Where each of ONNX's gate blocks (i, o, f, c) sits in PyTorch's order (i, f, g, o). Exposed so
   * a test can show that a wrong mapping is caught.
   */
  public static final int[] ONNX_GATES_FROM_PYTORCH = {0, 3, 1, 2};

  private MdnGraphs() {}

  /**
   * (z [B, 32], action [B, 3], h [B, 256], c [B, 256], optionally head_mask [B, 256]) → log_pi, mu,
   * log_sigma [B, 32, 5], reward [B, 1], done [B, 1] (probability), h_next, c_next [B, 256].
   * head_mask is an input with a default (an initializer of the same name, ones [1, 256]), so
   * callers that do not feed it run the model as trained on average.
   */
  public static byte[] step(Map<String, Tensor> weights, String version) {
    return step(weights, version, ONNX_GATES_FROM_PYTORCH);
  }

  /** As {@link #step(Map, String)} with an explicit gate mapping (tests only). */
  public static byte[] step(Map<String, Tensor> weights, String version, int[] gates) {
    MdnSpec.weightShapes()
        .forEach(
            (name, shape) -> {
              Tensor t = weights.get(name);
              if (t == null || !Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(
                    "MDN-RNN weight "
                        + name
                        + " must have shape "
                        + Arrays.toString(shape)
                        + (t == null ? ", missing" : ", got " + Arrays.toString(t.shape())));
              }
            });
    int hidden = MdnSpec.HIDDEN;
    OnnxGraph g = new OnnxGraph("mdn_rnn_step");
    Value z = g.input(MdnSpec.Z, BATCH, MdnSpec.LATENT);
    Value a = g.input(MdnSpec.ACTION, BATCH, MdnSpec.ACTIONS);
    Value h = g.input(MdnSpec.H, BATCH, hidden);
    Value c = g.input(MdnSpec.C, BATCH, hidden);
    Value headMask = g.input(MdnSpec.HEAD_MASK, BATCH, hidden);
    Value axis0 = g.ints("axis0", 0);

    Value x = g.op("Concat", List.of(z, a), Map.of("axis", 1));
    Value sequence = g.op("Unsqueeze", x, axis0);
    Value w =
        g.initializer(
            "lstm.W",
            reorder(weights.get("lstm.weight_ih").data(), MdnSpec.INPUT, gates),
            1,
            4L * hidden,
            MdnSpec.INPUT);
    Value r =
        g.initializer(
            "lstm.R",
            reorder(weights.get("lstm.weight_hh").data(), hidden, gates),
            1,
            4L * hidden,
            hidden);
    float[] biases = new float[8 * hidden];
    System.arraycopy(
        reorder(weights.get("lstm.bias_ih").data(), 1, gates), 0, biases, 0, 4 * hidden);
    System.arraycopy(
        reorder(weights.get("lstm.bias_hh").data(), 1, gates), 0, biases, 4 * hidden, 4 * hidden);
    Value b = g.initializer("lstm.B", biases, 1, 8L * hidden);
    List<Value> lstm =
        g.op(
            "LSTM",
            List.of(
                sequence,
                w,
                r,
                b,
                new Value(""),
                g.op("Unsqueeze", h, axis0),
                g.op("Unsqueeze", c, axis0)),
            Map.of("hidden_size", hidden),
            3);
    Value hNext = g.op("Squeeze", lstm.get(1), axis0);
    Value cNext = g.op("Squeeze", lstm.get(2), axis0);

    Value headW =
        g.initializer("head.weight", weights.get("head.weight").data(), MdnSpec.HEAD, hidden);
    Value headB = g.initializer("head.bias", weights.get("head.bias").data(), MdnSpec.HEAD);
    Value masked = g.op("Mul", hNext, headMask);
    Value head = g.op("Gemm", List.of(masked, headW, headB), Map.of("transB", 1));
    int m = MdnSpec.MIXTURE_OUTPUTS;
    List<Value> parts =
        g.op("Split", List.of(head, g.ints("head.split", m, m, m, 1, 1)), Map.of("axis", 1), 5);
    Value mixtureShape = g.ints("mixture.shape", 0, MdnSpec.LATENT, MdnSpec.MIXTURES);
    Value logPi =
        g.op(
            "LogSoftmax", List.of(g.op("Reshape", parts.get(0), mixtureShape)), Map.of("axis", -1));
    g.output(logPi, MdnSpec.LOG_PI, BATCH, MdnSpec.LATENT, MdnSpec.MIXTURES);
    g.output(
        g.op("Reshape", parts.get(1), mixtureShape),
        MdnSpec.MU,
        BATCH,
        MdnSpec.LATENT,
        MdnSpec.MIXTURES);
    g.output(
        g.op("Reshape", parts.get(2), mixtureShape),
        MdnSpec.LOG_SIGMA,
        BATCH,
        MdnSpec.LATENT,
        MdnSpec.MIXTURES);
    g.output(parts.get(3), MdnSpec.REWARD, BATCH, 1);
    g.output(g.op("Sigmoid", parts.get(4)), MdnSpec.DONE, BATCH, 1);
    g.output(hNext, MdnSpec.H_NEXT, BATCH, hidden);
    g.output(cNext, MdnSpec.C_NEXT, BATCH, hidden);
    return g.toBytes("worldstream", "World Models MDN-RNN step " + version);
  }

  /**
   * Reorders the four gate blocks (each {@code HIDDEN × columns}) from PyTorch's order to ONNX's.
   */
  private static float[] reorder(float[] pytorch, int columns, int[] gates) {
    int block = MdnSpec.HIDDEN * columns;
    float[] onnx = new float[pytorch.length];
    for (int gate = 0; gate < 4; gate++) {
      System.arraycopy(pytorch, gates[gate] * block, onnx, gate * block, block);
    }
    return onnx;
  }
}
