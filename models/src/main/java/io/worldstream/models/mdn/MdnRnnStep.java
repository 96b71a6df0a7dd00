package io.worldstream.models.mdn;

import io.worldstream.models.runtime.OnnxModel;
import io.worldstream.models.runtime.OnnxModel.Port;
import java.util.Arrays;
import java.util.HashMap;
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
  private final boolean takesHeadMask;

  private MdnRnnStep(OnnxModel model) {
    this.model = model;
    this.takesHeadMask = model.hasInput(MdnSpec.HEAD_MASK);
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

  /**
   * Whether the model takes a head mask (models published before it existed do not; {@link
   * #step(float[], float[], float[], float[], float[], int)} then runs them unmasked).
   */
  public boolean takesHeadMask() {
    return takesHeadMask;
  }

  public Output step(float[] z, float[] action, float[] h, float[] c, int batch) {
    return step(z, action, h, c, null, batch);
  }

  /**
   * @param headMask [B, 256] multiplying h before the heads, or null for none
   */
  public Output step(float[] z, float[] action, float[] h, float[] c, float[] headMask, int batch) {
    Map<String, float[]> inputs = new HashMap<>();
    inputs.put(MdnSpec.Z, z);
    inputs.put(MdnSpec.ACTION, action);
    inputs.put(MdnSpec.H, h);
    inputs.put(MdnSpec.C, c);
    Map<String, long[]> shapes = new HashMap<>();
    shapes.put(MdnSpec.Z, new long[] {batch, MdnSpec.LATENT});
    shapes.put(MdnSpec.ACTION, new long[] {batch, MdnSpec.ACTIONS});
    shapes.put(MdnSpec.H, new long[] {batch, MdnSpec.HIDDEN});
    shapes.put(MdnSpec.C, new long[] {batch, MdnSpec.HIDDEN});
    if (takesHeadMask) {
      if (headMask == null) {
        headMask = new float[batch * MdnSpec.HIDDEN];
        Arrays.fill(headMask, 1f);
      }
      inputs.put(MdnSpec.HEAD_MASK, headMask);
      shapes.put(MdnSpec.HEAD_MASK, new long[] {batch, MdnSpec.HIDDEN});
    }
    Map<String, float[]> out = model.run(inputs, shapes);
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
