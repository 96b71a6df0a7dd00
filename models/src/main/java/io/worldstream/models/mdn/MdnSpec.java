package io.worldstream.models.mdn;

import io.worldstream.models.vae.VaeSpec;
import java.util.LinkedHashMap;

/**
 * The MDN-RNN of World Models (DESIGN §4): an LSTM of 256 units over [z_t, a_t], and a head that
 * gives, for each of the 32 latent dimensions, a mixture of K = 5 Gaussians over z_{t+1} (log π, μ,
 * log σ), plus the reward a_t earns and the logit of a_t ending the episode.
 *
 * <p>Weights use PyTorch's LSTM layout: the four gate blocks stacked in the order i, f, g, o, and
 * separate input and recurrent biases. The head's 482 outputs are [log π logits | μ | log σ] each
 * laid out dimension-major (index d·K + k), then reward, then the done logit.
 */
public final class MdnSpec {

  /** The VAE's latent: M predicts what V encodes. */
  public static final int LATENT = VaeSpec.LATENT;

  public static final int ACTIONS = 3;
  public static final int INPUT = LATENT + ACTIONS;
  public static final int HIDDEN = 256;
  public static final int MIXTURES = 5;
  public static final int MIXTURE_OUTPUTS = LATENT * MIXTURES;
  public static final int HEAD = 3 * MIXTURE_OUTPUTS + 2;

  /** Inputs and outputs of the one-step model. */
  public static final String Z = "z";

  public static final String ACTION = "action";
  public static final String H = "h";
  public static final String C = "c";

  /**
   * An input [B, 256] that multiplies h before the heads (ones: the model as trained on average): a
   * dropout mask held fixed through a dream rollout, so each rollout dreams with a different
   * sub-model. h_next itself, the controller's feature and the next step's state, is never masked.
   * Models published before it existed lack it.
   */
  public static final String HEAD_MASK = "head_mask";

  public static final String LOG_PI = "log_pi";
  public static final String MU = "mu";
  public static final String LOG_SIGMA = "log_sigma";
  public static final String REWARD = "reward";
  public static final String DONE = "done";
  public static final String H_NEXT = "h_next";
  public static final String C_NEXT = "c_next";

  private MdnSpec() {}

  public static LinkedHashMap<String, long[]> weightShapes() {
    var shapes = new LinkedHashMap<String, long[]>();
    shapes.put("lstm.weight_ih", new long[] {4 * HIDDEN, INPUT});
    shapes.put("lstm.weight_hh", new long[] {4 * HIDDEN, HIDDEN});
    shapes.put("lstm.bias_ih", new long[] {4 * HIDDEN});
    shapes.put("lstm.bias_hh", new long[] {4 * HIDDEN});
    shapes.put("head.weight", new long[] {HEAD, HIDDEN});
    shapes.put("head.bias", new long[] {HEAD});
    return shapes;
  }
}
