package io.worldstream.producers;

import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's models as its environment threads use them: each thread asks for one frame's latent or
 * one step of its recurrent state, and the requests of the threads asking at the same time run as
 * one batched ONNX Runtime call ({@link CombinedCalls}).
 */
final class SharedModels {

  private SharedModels() {}

  /** The VAE encoder: an observation's μ. Each thread preprocesses its own frame. */
  static final class Encoder {
    private final FramePreprocessor preprocessor = FramePreprocessor.carRacing();
    private final CombinedCalls<float[], float[]> calls;

    Encoder(VaeEncoder encoder) {
      this.calls = new CombinedCalls<>(frames -> encode(encoder, frames));
    }

    /** μ of the VAE's latent for a raw 96×96×3 observation. */
    float[] mu(byte[] observation) {
      float[] frame = new float[VaeSpec.PIXELS];
      preprocessor.preprocess(observation, frame, 0);
      return calls.apply(frame);
    }

    private static List<float[]> encode(VaeEncoder encoder, List<float[]> frames) {
      float[] batch = new float[frames.size() * VaeSpec.PIXELS];
      for (int i = 0; i < frames.size(); i++) {
        System.arraycopy(frames.get(i), 0, batch, i * VaeSpec.PIXELS, VaeSpec.PIXELS);
      }
      float[] mu = encoder.encode(batch, frames.size()).mu();
      return rows(mu, frames.size(), VaeSpec.LATENT);
    }
  }

  /** An MDN-RNN step model: advances one environment's (h, c) on (z, a). */
  static final class Step implements AutoCloseable {
    private final MdnRnnStep model;
    private final CombinedCalls<float[][], float[][]> calls;

    Step(MdnRnnStep model) {
      this.model = model;
      this.calls = new CombinedCalls<>(this::step);
    }

    /** Replaces {@code h} and {@code c} with the MDN-RNN's state after (z, a). */
    void advance(float[] z, float[] action, float[] h, float[] c) {
      float[][] next = calls.apply(new float[][] {z, action, h, c});
      System.arraycopy(next[0], 0, h, 0, MdnSpec.HIDDEN);
      System.arraycopy(next[1], 0, c, 0, MdnSpec.HIDDEN);
    }

    private List<float[][]> step(List<float[][]> inputs) {
      int n = inputs.size();
      float[] z = new float[n * MdnSpec.LATENT];
      float[] a = new float[n * MdnSpec.ACTIONS];
      float[] h = new float[n * MdnSpec.HIDDEN];
      float[] c = new float[n * MdnSpec.HIDDEN];
      for (int i = 0; i < n; i++) {
        float[][] in = inputs.get(i);
        System.arraycopy(in[0], 0, z, i * MdnSpec.LATENT, MdnSpec.LATENT);
        System.arraycopy(in[1], 0, a, i * MdnSpec.ACTIONS, MdnSpec.ACTIONS);
        System.arraycopy(in[2], 0, h, i * MdnSpec.HIDDEN, MdnSpec.HIDDEN);
        System.arraycopy(in[3], 0, c, i * MdnSpec.HIDDEN, MdnSpec.HIDDEN);
      }
      MdnRnnStep.Output out = model.step(z, a, h, c, n);
      List<float[]> hs = rows(out.h(), n, MdnSpec.HIDDEN);
      List<float[]> cs = rows(out.c(), n, MdnSpec.HIDDEN);
      List<float[][]> next = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        next.add(new float[][] {hs.get(i), cs.get(i)});
      }
      return next;
    }

    @Override
    public void close() {
      model.close();
    }
  }

  private static List<float[]> rows(float[] matrix, int rows, int width) {
    List<float[]> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      float[] row = new float[width];
      System.arraycopy(matrix, i * width, row, 0, width);
      out.add(row);
    }
    return out;
  }
}
