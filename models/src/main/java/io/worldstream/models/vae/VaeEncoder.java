package io.worldstream.models.vae;

import io.worldstream.models.ModelInService;
import io.worldstream.models.runtime.OnnxModel;
import io.worldstream.models.runtime.OnnxModel.Port;
import java.util.List;
import java.util.Map;

/** The VAE encoder in ONNX Runtime: batches of frames → μ and log σ² of their latents. */
public final class VaeEncoder implements AutoCloseable {

  /** Latents of a batch: {@code batch × 32} values each, row-major. */
  public record Latents(int batch, float[] mu, float[] logvar) {}

  private final OnnxModel model;
  private final FramePreprocessor preprocessor = FramePreprocessor.carRacing();

  private VaeEncoder(OnnxModel model) {
    this.model = model;
  }

  /**
   * A VAE encoder that can be replaced while in use; see {@link ModelInService}.
   *
   * @param source where the bytes came from, for log lines
   * @throws IllegalArgumentException if they are not a working VAE encoder
   */
  public static ModelInService<VaeEncoder> inService(byte[] onnx, String source, int threads) {
    return ModelInService.load("VAE encoder", bytes -> load(bytes, threads), onnx, source);
  }

  /**
   * Loads and checks an encoder: its ports, and a test encode whose outputs must be finite.
   *
   * @throws IllegalArgumentException if it is not a working VAE encoder
   */
  public static VaeEncoder load(byte[] onnx, int threads) {
    OnnxModel model =
        OnnxModel.load(
            "VAE encoder",
            onnx,
            List.of(new Port(VaeSpec.FRAMES, -1, VaeSpec.CHANNELS, VaeSpec.IMAGE, VaeSpec.IMAGE)),
            List.of(
                new Port(VaeSpec.MU, -1, VaeSpec.LATENT),
                new Port(VaeSpec.LOGVAR, -1, VaeSpec.LATENT)),
            threads);
    VaeEncoder encoder = new VaeEncoder(model);
    try {
      Latents probe = encoder.encode(new float[2 * VaeSpec.PIXELS], 2);
      for (float v : probe.mu()) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "VAE encoder gives non-finite latents for a blank frame");
        }
      }
    } catch (RuntimeException e) {
      encoder.close();
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException(e.getMessage(), e);
    }
    return encoder;
  }

  /** sha256 of the encoder's ONNX bytes: what every LatentStep records as its VAE version. */
  public String version() {
    return model.version();
  }

  /** Encodes {@code batch} preprocessed frames ([B, 3, 64, 64] floats in [0, 1]). */
  public Latents encode(float[] frames, int batch) {
    if (frames.length < batch * VaeSpec.PIXELS) {
      throw new IllegalArgumentException(
          "expected " + batch * VaeSpec.PIXELS + " floats, got " + frames.length);
    }
    float[] input =
        frames.length == batch * VaeSpec.PIXELS
            ? frames
            : java.util.Arrays.copyOf(frames, batch * VaeSpec.PIXELS);
    Map<String, float[]> out =
        model.run(
            Map.of(VaeSpec.FRAMES, input),
            Map.of(
                VaeSpec.FRAMES,
                new long[] {batch, VaeSpec.CHANNELS, VaeSpec.IMAGE, VaeSpec.IMAGE}));
    return new Latents(batch, out.get(VaeSpec.MU), out.get(VaeSpec.LOGVAR));
  }

  /** Encodes raw 96×96×3 observations (HWC bytes), preprocessing them first. */
  public Latents encodeObservations(List<byte[]> observations) {
    float[] frames = new float[observations.size() * VaeSpec.PIXELS];
    for (int i = 0; i < observations.size(); i++) {
      preprocessor.preprocess(observations.get(i), frames, i * VaeSpec.PIXELS);
    }
    return encode(frames, observations.size());
  }

  public OnnxModel model() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }
}
