package io.worldstream.serving.evaluator;

import io.worldstream.envs.policy.LinearController;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.mdn.MdnSpec;

/**
 * The linear controllers CMA-ES searches over, as parameter vectors [W (3 × 288, row-major), b (3)]
 * — the layout of {@code ControllerUpdate} — and their actions for many dreams at once.
 */
public final class Controllers {

  static final int INPUTS = DreamEnvironment.FEATURES;
  static final int OUTPUTS = MdnSpec.ACTIONS;

  /** 867 for the paper's controller. */
  public static final int PARAMETERS = INPUTS * OUTPUTS + OUTPUTS;

  private Controllers() {}

  public static LinearController controller(double[] parameters) {
    float[] weights = new float[INPUTS * OUTPUTS];
    float[] bias = new float[OUTPUTS];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) parameters[i];
    }
    for (int o = 0; o < OUTPUTS; o++) {
      bias[o] = (float) parameters[weights.length + o];
    }
    return new LinearController(INPUTS, OUTPUTS, weights, bias);
  }

  /** A published controller's parameter vector. */
  public static double[] parameters(io.worldstream.records.ControllerUpdate controller) {
    float[] weights = new float[controller.getWeights().size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = controller.getWeights().get(i);
    }
    float[] bias = new float[controller.getBias().size()];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = controller.getBias().get(i);
    }
    return parameters(weights, bias);
  }

  static double[] parameters(float[] weights, float[] bias) {
    double[] parameters = new double[PARAMETERS];
    for (int i = 0; i < weights.length; i++) {
      parameters[i] = weights[i];
    }
    for (int o = 0; o < OUTPUTS; o++) {
      parameters[weights.length + o] = bias[o];
    }
    return parameters;
  }

  /**
   * CarRacing actions of N dreams, dream d acting with candidate d / rolloutsPerCandidate: tanh(W x
   * + b) mapped as {@link LinearController#carRacingAction} maps it.
   *
   * @param candidates parameter vectors as floats
   * @param features [N, 288] row-major
   * @param actions [N, 3] row-major, written
   */
  public static void act(
      float[][] candidates, int rolloutsPerCandidate, float[] features, float[] actions) {
    int dreams = actions.length / OUTPUTS;
    for (int d = 0; d < dreams; d++) {
      float[] p = candidates[d / rolloutsPerCandidate];
      int x = d * INPUTS;
      for (int o = 0; o < OUTPUTS; o++) {
        int w = o * INPUTS;
        double sum = p[INPUTS * OUTPUTS + o];
        for (int i = 0; i < INPUTS; i++) {
          sum += p[w + i] * features[x + i];
        }
        double a = Math.tanh(sum);
        actions[d * OUTPUTS + o] =
            (float) (o == 0 ? a : o == 1 ? (a + 1) / 2 : Math.min(1, Math.max(0, a)));
      }
    }
  }

  public static float[] toFloats(double[] parameters) {
    float[] out = new float[parameters.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) parameters[i];
    }
    return out;
  }

  static double squaredNorm(double[] parameters) {
    double sum = 0;
    for (double p : parameters) {
      sum += p * p;
    }
    return sum;
  }
}
