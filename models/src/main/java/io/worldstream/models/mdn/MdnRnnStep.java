package io.worldstream.models.mdn;

import io.worldstream.models.runtime.OnnxModel;
import io.worldstream.models.runtime.OnnxModel.Port;
import java.util.List;
import java.util.Map;

/** The MDN-RNN's one-step model in ONNX Runtime, batched: one call advances every sequence once. */
public final class MdnRnnStep implements AutoCloseable {

  /**
   * One step's outputs for a batch of B, row-major.
   *
   * @param logPi [B, 32, 5] log mixture weights
   * @param reward [B] predicted reward of the action
   * @param done [B] probability that the action ends the episode
   */
  public record Output(
      int batch,
      float[] logPi,
      float[] mu,
      float[] logSigma,
      float[] reward,
      float[] done,
      float[] h,
      float[] c) {}

  private final OnnxModel model;

  private MdnRnnStep(OnnxModel model) {
    this.model = model;
  }

  /**
   * @throws IllegalArgumentException if it is not an MDN-RNN step model
   */
  public static MdnRnnStep load(byte[] onnx, int threads) {
    int hidden = MdnSpec.HIDDEN;
    return new MdnRnnStep(
        OnnxModel.load(
            "MDN-RNN step",
            onnx,
            List.of(
                new Port(MdnSpec.Z, -1, MdnSpec.LATENT),
                new Port(MdnSpec.ACTION, -1, MdnSpec.ACTIONS),
                new Port(MdnSpec.H, -1, hidden),
                new Port(MdnSpec.C, -1, hidden)),
            List.of(
                new Port(MdnSpec.LOG_PI, -1, MdnSpec.LATENT, MdnSpec.MIXTURES),
                new Port(MdnSpec.MU, -1, MdnSpec.LATENT, MdnSpec.MIXTURES),
                new Port(MdnSpec.LOG_SIGMA, -1, MdnSpec.LATENT, MdnSpec.MIXTURES),
                new Port(MdnSpec.REWARD, -1, 1),
                new Port(MdnSpec.DONE, -1, 1),
                new Port(MdnSpec.H_NEXT, -1, hidden),
                new Port(MdnSpec.C_NEXT, -1, hidden)),
            threads));
  }

  public String version() {
    return model.version();
  }

  public Output step(float[] z, float[] action, float[] h, float[] c, int batch) {
    Map<String, float[]> out =
        model.run(
            Map.of(MdnSpec.Z, z, MdnSpec.ACTION, action, MdnSpec.H, h, MdnSpec.C, c),
            Map.of(
                MdnSpec.Z,
                new long[] {batch, MdnSpec.LATENT},
                MdnSpec.ACTION,
                new long[] {batch, MdnSpec.ACTIONS},
                MdnSpec.H,
                new long[] {batch, MdnSpec.HIDDEN},
                MdnSpec.C,
                new long[] {batch, MdnSpec.HIDDEN}));
    return new Output(
        batch,
        out.get(MdnSpec.LOG_PI),
        out.get(MdnSpec.MU),
        out.get(MdnSpec.LOG_SIGMA),
        out.get(MdnSpec.REWARD),
        out.get(MdnSpec.DONE),
        out.get(MdnSpec.H_NEXT),
        out.get(MdnSpec.C_NEXT));
  }

  @Override
  public void close() {
    model.close();
  }
}
