package io.worldstream.envs.policy;

import io.worldstream.envs.Action;

/**
 * The World Models controller C: a = tanh(W x + b) over a feature vector x (for CarRacing, the
 * latent z and the MDN-RNN's hidden state h), mapped to CarRacing's action as the paper does: steer
 * = a₀, gas = (a₁ + 1) / 2, brake = clip(a₂, 0, 1).
 *
 * @param weights outputs × inputs, row-major
 */
public record LinearController(int inputs, int outputs, float[] weights, float[] bias) {

  public LinearController {
    if (weights.length != inputs * outputs || bias.length != outputs) {
      throw new IllegalArgumentException(
          "a "
              + outputs
              + "x"
              + inputs
              + " controller needs "
              + inputs * outputs
              + " weights and "
              + outputs
              + " biases, got "
              + weights.length
              + " and "
              + bias.length);
    }
    for (float w : weights) {
      if (!Float.isFinite(w)) {
        throw new IllegalArgumentException("controller weights must be finite");
      }
    }
    weights = weights.clone();
    bias = bias.clone();
  }

  /** Number of parameters (867 for the paper's 3 × (32 + 256) + 3). */
  public int parameterCount() {
    return weights.length + bias.length;
  }

  /** tanh(W x + b). */
  public double[] outputs(float[] features) {
    if (features.length != inputs) {
      throw new IllegalArgumentException(
          "expected " + inputs + " features, got " + features.length);
    }
    double[] out = new double[outputs];
    for (int o = 0; o < outputs; o++) {
      double sum = bias[o];
      for (int i = 0; i < inputs; i++) {
        sum += (double) weights[o * inputs + i] * features[i];
      }
      out[o] = Math.tanh(sum);
    }
    return out;
  }

  /** The CarRacing action for these features. */
  public Action.Continuous carRacingAction(float[] features) {
    if (outputs != 3) {
      throw new IllegalStateException("a CarRacing controller has 3 outputs, this one " + outputs);
    }
    return carRacingAction(outputs(features));
  }

  /** The CarRacing action for a controller's three tanh outputs, mapped as the paper does. */
  public static Action.Continuous carRacingAction(double[] a) {
    return Action.of(a[0], (a[1] + 1) / 2, Math.min(1, Math.max(0, a[2])));
  }
}
