package io.worldstream.models.vae;

import static io.worldstream.models.onnx.OnnxGraph.BATCH;

import io.worldstream.models.Tensor;
import io.worldstream.models.onnx.OnnxGraph;
import io.worldstream.models.onnx.OnnxGraph.Value;
import java.util.List;
import java.util.Map;

/**
 * Writes the VAE's encoder and decoder as ONNX graphs from its weights (names of {@link VaeSpec}).
 */
public final class VaeGraphs {

  private VaeGraphs() {}

  /** frames [B, 3, 64, 64] → mu, logvar [B, 32]. */
  public static byte[] encoder(Map<String, Tensor> weights, String version) {
    check(weights, "encoder.");
    OnnxGraph g = new OnnxGraph("vae_encoder");
    Value x = g.input(VaeSpec.FRAMES, BATCH, VaeSpec.CHANNELS, VaeSpec.IMAGE, VaeSpec.IMAGE);
    for (int i = 1; i <= VaeSpec.ENCODER_CHANNELS.length; i++) {
      Value w = weight(g, weights, "encoder.conv" + i + ".weight");
      Value b = weight(g, weights, "encoder.conv" + i + ".bias");
      x =
          g.op(
              "Conv",
              List.of(x, w, b),
              Map.of("strides", new long[] {2, 2}, "kernel_shape", new long[] {4, 4}));
      x = g.op("Relu", x);
    }
    // [B, 256, 2, 2] → [B, 1024] in channel, row, column order, as PyTorch and DJL flatten.
    Value h = g.op("Flatten", List.of(x), Map.of("axis", 1));
    Value mu = dense(g, weights, "encoder.mu", h);
    Value logvar = dense(g, weights, "encoder.logvar", h);
    g.output(mu, VaeSpec.MU, BATCH, VaeSpec.LATENT);
    g.output(logvar, VaeSpec.LOGVAR, BATCH, VaeSpec.LATENT);
    return g.toBytes("worldstream", "World Models VAE encoder " + version);
  }

  /** z [B, 32] → reconstruction [B, 3, 64, 64] in [0, 1]. */
  public static byte[] decoder(Map<String, Tensor> weights, String version) {
    check(weights, "decoder.");
    OnnxGraph g = new OnnxGraph("vae_decoder");
    Value z = g.input(VaeSpec.Z, BATCH, VaeSpec.LATENT);
    Value x = g.op("Relu", dense(g, weights, "decoder.fc", z));
    x = g.op("Reshape", x, g.ints("decoder.shape", 0, VaeSpec.FEATURES, 1, 1));
    for (int i = 1; i <= VaeSpec.DECODER_CHANNELS.length; i++) {
      int k = VaeSpec.DECODER_KERNELS[i - 1];
      Value w = weight(g, weights, "decoder.deconv" + i + ".weight");
      Value b = weight(g, weights, "decoder.deconv" + i + ".bias");
      x =
          g.op(
              "ConvTranspose",
              List.of(x, w, b),
              Map.of("strides", new long[] {2, 2}, "kernel_shape", new long[] {k, k}));
      x = g.op(i < VaeSpec.DECODER_CHANNELS.length ? "Relu" : "Sigmoid", x);
    }
    g.output(x, VaeSpec.RECONSTRUCTION, BATCH, VaeSpec.CHANNELS, VaeSpec.IMAGE, VaeSpec.IMAGE);
    return g.toBytes("worldstream", "World Models VAE decoder " + version);
  }

  /** x Wᵀ + b, with W as [out, in] (PyTorch's and DJL's Linear layout). */
  private static Value dense(OnnxGraph g, Map<String, Tensor> weights, String layer, Value x) {
    Value w = weight(g, weights, layer + ".weight");
    Value b = weight(g, weights, layer + ".bias");
    return g.op("Gemm", List.of(x, w, b), Map.of("transB", 1));
  }

  private static Value weight(OnnxGraph g, Map<String, Tensor> weights, String name) {
    return g.initializer(weights.get(name));
  }

  private static void check(Map<String, Tensor> weights, String prefix) {
    VaeSpec.weightShapes()
        .forEach(
            (name, shape) -> {
              if (!name.startsWith(prefix)) {
                return;
              }
              Tensor t = weights.get(name);
              if (t == null) {
                throw new IllegalArgumentException("VAE weights lack " + name);
              }
              if (!java.util.Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException(
                    name
                        + " has shape "
                        + java.util.Arrays.toString(t.shape())
                        + ", the VAE needs "
                        + java.util.Arrays.toString(shape));
              }
            });
  }
}
