package io.worldstream.train.mdn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.Weights;
import java.util.List;
import java.util.Map;

/**
 * The MDN-RNN in DJL over {@link Weights} named as in {@link MdnSpec}. The LSTM is written out gate
 * by gate in PyTorch's order (i, f, g, o):
 *
 * <pre>
 *   [i f g o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
 *   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
 * </pre>
 *
 * so the layout that the ONNX exporter reorders is explicit here.
 */
public final class DjlMdnRnn {

  private final Weights weights;

  private DjlMdnRnn(Weights weights) {
    this.weights = weights;
  }

  /** PyTorch's LSTM initialisation: every weight uniform in ±1/√hidden. */
  public static DjlMdnRnn initialise(NDManager manager) {
    return new DjlMdnRnn(
        Weights.uniform(manager, MdnSpec.weightShapes(), (float) (1 / Math.sqrt(MdnSpec.HIDDEN))));
  }

  public static DjlMdnRnn of(NDManager manager, Map<String, Tensor> tensors) {
    return new DjlMdnRnn(Weights.of(manager, tensors));
  }

  /** The model running on {@code weights} as they are, in place (e.g. a running average). */
  public static DjlMdnRnn over(Weights weights) {
    return new DjlMdnRnn(weights);
  }

  public Weights weights() {
    return weights;
  }

  /** One step for a batch: z [B, 32], a [B, 3], h, c [B, 256] → (head [B, 482], h', c'). */
  public NDList step(NDArray z, NDArray a, NDArray h, NDArray c) {
    NDArray x = z.concat(a, 1);
    NDArray inputGates =
        x.matMul(weights.get("lstm.weight_ih").transpose())
            .add(weights.get("lstm.bias_ih"))
            .add(weights.get("lstm.bias_hh"));
    NDList hc = cell(inputGates, weights.get("lstm.weight_hh").transpose(), h, c);
    return new NDList(head(hc.get(0)), hc.get(0), hc.get(1));
  }

  /**
   * Teacher-forced pass over sequences: z [B, T, 32], a [B, T, 3], from zero state → head outputs
   * [B, T, 482] (at t, the prediction for step t + 1).
   */
  public NDArray sequence(NDArray z, NDArray a) {
    return sequence(z, a, null);
  }

  /**
   * As {@link #sequence(NDArray, NDArray)}, with h multiplied by {@code headMask} [B, 256] before
   * the heads at every step: one dropout mask per sequence, as a dream rollout holds one mask for
   * its whole length (the ONNX step model's head_mask input). The recurrence itself is unmasked.
   */
  public NDArray sequence(NDArray z, NDArray a, NDArray headMask) {
    return sequence(z, a, null, null, headMask);
  }

  /**
   * As {@link #sequence(NDArray, NDArray, NDArray)}, from the state {@code h0}, {@code c0} [B, 256]
   * (null for zeros) instead of from zero state: a sequence that continues an episode from the
   * memory the model had there.
   */
  public NDArray sequence(NDArray z, NDArray a, NDArray h0, NDArray c0, NDArray headMask) {
    long b = z.getShape().get(0);
    long t = z.getShape().get(1);
    NDArray hidden = NDArrays.stack(unroll(z, a, h0, c0, false).get(0), 1);
    if (headMask != null) {
      hidden = hidden.mul(headMask.expandDims(1));
    }
    return head(hidden.reshape(b * t, MdnSpec.HIDDEN)).reshape(b, t, MdnSpec.HEAD);
  }

  /**
   * The LSTM's state after each step of sequences z [B, T, 32], a [B, T, 3] from {@code h0}, {@code
   * c0} [B, 256] (null for zeros): (h, c), each [B, T, 256]; entry t is the memory with which the
   * model meets step t + 1.
   */
  public NDList states(NDArray z, NDArray a, NDArray h0, NDArray c0) {
    List<NDList> hc = unroll(z, a, h0, c0, true);
    return new NDList(NDArrays.stack(hc.get(0), 1), NDArrays.stack(hc.get(1), 1));
  }

  /** h after every step, and c after every step where {@code cells} is asked for (else empty). */
  private List<NDList> unroll(NDArray z, NDArray a, NDArray h0, NDArray c0, boolean cells) {
    Shape s = z.getShape();
    long b = s.get(0);
    long t = s.get(1);
    // Everything that does not depend on h, for all steps at once and time-major, so each step
    // below reads one contiguous [B, 4H] slice: x W_ihᵀ + b_ih + b_hh.
    NDArray inputGates =
        z.concat(a, 2)
            .transpose(1, 0, 2)
            .reshape(t * b, MdnSpec.INPUT)
            .matMul(weights.get("lstm.weight_ih").transpose())
            .add(weights.get("lstm.bias_ih").add(weights.get("lstm.bias_hh")))
            .reshape(t, b, 4L * MdnSpec.HIDDEN);
    Shape state = new Shape(b, MdnSpec.HIDDEN);
    NDArray h = h0 != null ? h0 : z.getManager().zeros(state);
    NDArray c = c0 != null ? c0 : z.getManager().zeros(state);
    NDArray recurrent = weights.get("lstm.weight_hh").transpose();
    NDList hs = new NDList();
    NDList cs = new NDList();
    for (long step = 0; step < t; step++) {
      NDList hc = cell(inputGates.get(step), recurrent, h, c);
      h = hc.get(0);
      c = hc.get(1);
      hs.add(h);
      if (cells) {
        cs.add(c);
      }
    }
    return List.of(hs, cs);
  }

  /** One LSTM step; {@code inputGates} is x W_ihᵀ + b_ih + b_hh, {@code recurrent} is W_hhᵀ. */
  private static NDList cell(NDArray inputGates, NDArray recurrent, NDArray h, NDArray c) {
    NDArray gates = inputGates.add(h.matMul(recurrent));
    NDList ifgo = gates.split(4, 1);
    NDArray i = Activation.sigmoid(ifgo.get(0));
    NDArray f = Activation.sigmoid(ifgo.get(1));
    NDArray g = ifgo.get(2).tanh();
    NDArray o = Activation.sigmoid(ifgo.get(3));
    NDArray cNext = f.mul(c).add(i.mul(g));
    NDArray hNext = o.mul(cNext.tanh());
    return new NDList(hNext, cNext);
  }

  private NDArray head(NDArray h) {
    return h.matMul(weights.get("head.weight").transpose()).add(weights.get("head.bias"));
  }
}
