package io.worldstream.models.vae;

import io.worldstream.models.runtime.OnnxModel;
import io.worldstream.models.runtime.OnnxModel.Port;
import java.util.List;
import java.util.Map;

/** The VAE decoder in ONNX Runtime: batches of latents → 64×64 RGB frames in [0, 1], CHW. */
public final class VaeDecoder implements AutoCloseable {

  private final OnnxModel model;

  private VaeDecoder(OnnxModel model) {
    this.model = model;
  }

  /**
   * @throws IllegalArgumentException if it is not a VAE decoder
   */
  public static VaeDecoder load(byte[] onnx, int threads) {
    return new VaeDecoder(
        OnnxModel.load(
            "VAE decoder",
            onnx,
            List.of(new Port(VaeSpec.Z, -1, VaeSpec.LATENT)),
            List.of(
                new Port(
                    VaeSpec.RECONSTRUCTION, -1, VaeSpec.CHANNELS, VaeSpec.IMAGE, VaeSpec.IMAGE)),
            threads));
  }

  public String version() {
    return model.version();
  }

  /** Decodes {@code batch} latents ([B, 32]) into [B, 3, 64, 64]. */
  public float[] decode(float[] z, int batch) {
    if (z.length != batch * VaeSpec.LATENT) {
      throw new IllegalArgumentException(
          "expected " + batch * VaeSpec.LATENT + " floats, got " + z.length);
    }
    return model
        .run(Map.of(VaeSpec.Z, z), Map.of(VaeSpec.Z, new long[] {batch, VaeSpec.LATENT}))
        .get(VaeSpec.RECONSTRUCTION);
  }

  @Override
  public void close() {
    model.close();
  }
}
