package io.worldstream.models.mdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MdnSamplerTest {

  private static final double[] PI = {0.1, 0.2, 0.4, 0.25, 0.05};
  private static final double[] MU = {-2, -0.5, 0.3, 1.5, 4};
  private static final double[] SIGMA = {0.3, 0.5, 0.2, 0.8, 1.0};

  /** The same one-dimensional mixture repeated for {@code count} dimensions. */
  private static float[][] mixture(int count) {
    float[] logPi = new float[count * 5];
    float[] mu = new float[count * 5];
    float[] logSigma = new float[count * 5];
    for (int d = 0; d < count; d++) {
      for (int k = 0; k < 5; k++) {
        logPi[d * 5 + k] = (float) Math.log(PI[k]);
        mu[d * 5 + k] = (float) MU[k];
        logSigma[d * 5 + k] = (float) Math.log(SIGMA[k]);
      }
    }
    return new float[][] {logPi, mu, logSigma};
  }

  @Test
  void shouldMatchTheMixturesMomentsAtTemperatureOne() {
    assertMoments(1.0);
  }

  @Test
  void shouldMatchTheTemperedMixturesMoments() {
    assertMoments(0.5);
    assertMoments(1.5);
  }

  /** At τ the samples follow the mixture with weights ∝ π^(1/τ) and deviations σ√τ. */
  private static void assertMoments(double tau) {
    int count = 400_000;
    float[][] m = mixture(count);
    float[] out = new float[count];
    new MdnSampler(7).sample(m[0], m[1], m[2], count, tau, out);

    double[] w = new double[5];
    double total = 0;
    for (int k = 0; k < 5; k++) {
      w[k] = Math.pow(PI[k], 1 / tau);
      total += w[k];
    }
    double mean = 0;
    double second = 0;
    for (int k = 0; k < 5; k++) {
      w[k] /= total;
      mean += w[k] * MU[k];
      second += w[k] * (SIGMA[k] * SIGMA[k] * tau + MU[k] * MU[k]);
    }
    double variance = second - mean * mean;

    double sampleMean = 0;
    for (float v : out) {
      sampleMean += v;
    }
    sampleMean /= count;
    double sampleVariance = 0;
    for (float v : out) {
      sampleVariance += (v - sampleMean) * (v - sampleMean);
    }
    sampleVariance /= count - 1;
    assertThat(sampleMean).as("mean at τ=%s", tau).isCloseTo(mean, within(0.01));
    assertThat(sampleVariance)
        .as("variance at τ=%s", tau)
        .isCloseTo(variance, within(variance * 0.01));
  }

  @Test
  void shouldTakeTheLikeliestComponentsMeanAsTemperatureGoesToZero() {
    float[][] m = mixture(100);
    float[] out = new float[100];
    new MdnSampler(1).sample(m[0], m[1], m[2], 100, 0, out);
    for (float v : out) {
      assertThat(v).isEqualTo(0.3f);
    }
    new MdnSampler(1).sample(m[0], m[1], m[2], 100, 1e-8, out);
    for (float v : out) {
      assertThat(v).isCloseTo(0.3f, within(1e-3f));
    }
  }

  @Test
  void shouldGiveTheSameSamplesForTheSameSeed() {
    float[][] m = mixture(1000);
    float[] a = new float[1000];
    float[] b = new float[1000];
    float[] c = new float[1000];
    new MdnSampler(42).sample(m[0], m[1], m[2], 1000, 1.15, a);
    new MdnSampler(42).sample(m[0], m[1], m[2], 1000, 1.15, b);
    new MdnSampler(43).sample(m[0], m[1], m[2], 1000, 1.15, c);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
  }
}
