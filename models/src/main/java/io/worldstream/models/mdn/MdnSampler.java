package io.worldstream.models.mdn;

import java.util.SplittableRandom;

/**
 * Draws z_{t+1} from the MDN's mixture with temperature τ, as World Models does: for every latent
 * dimension independently, a component k with probability softmax(log π / τ)_k, then μ_k + σ_k · √τ
 * · ε with ε ~ N(0, 1). τ below 1 sharpens the dream towards the likeliest futures; τ = 0 takes the
 * likeliest component's mean. Seedable: one seed, one dream. Not thread-safe.
 */
public final class MdnSampler {

  private final SplittableRandom random;
  private final double[] weights = new double[MdnSpec.MIXTURES];

  public MdnSampler(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * Samples {@code count} dimensions whose mixtures start at {@code offset·K} in the [count, K]
   * arrays, writing to {@code out[0..count)}.
   */
  public void sample(
      float[] logPi, float[] mu, float[] logSigma, int count, double temperature, float[] out) {
    sample(logPi, mu, logSigma, 0, count, temperature, out);
  }

  /**
   * Samples the {@code count} dimensions from {@code from} on (mixtures at {@code d·K} for each
   * such dimension d), writing to {@code out[from..from + count)}: one dream's share of a batch.
   */
  public void sample(
      float[] logPi,
      float[] mu,
      float[] logSigma,
      int from,
      int count,
      double temperature,
      float[] out) {
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must be non-negative, not " + temperature);
    }
    int k = MdnSpec.MIXTURES;
    double noise = Math.sqrt(temperature);
    for (int d = from; d < from + count; d++) {
      int base = d * k;
      int chosen = temperature == 0 ? argmax(logPi, base) : pick(logPi, base, temperature);
      double z = mu[base + chosen];
      if (noise > 0) {
        z += Math.exp(logSigma[base + chosen]) * noise * random.nextGaussian();
      }
      out[d] = (float) z;
    }
  }

  private int pick(float[] logPi, int base, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < weights.length; i++) {
      max = Math.max(max, logPi[base + i] / temperature);
    }
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.exp(logPi[base + i] / temperature - max);
      total += weights[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length - 1; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static int argmax(float[] logPi, int base) {
    int best = 0;
    for (int i = 1; i < MdnSpec.MIXTURES; i++) {
      if (logPi[base + i] > logPi[base + best]) {
        best = i;
      }
    }
    return best;
  }
}
