package io.worldstream.models.dream;

import io.worldstream.models.mdn.MdnSpec;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Real starting points for dreams: (μ, log σ²) of latents taken from real episodes (their first
 * steps, typically). A dream starts from a random entry with z drawn from it.
 */
public record LatentPool(List<float[]> mu, List<float[]> logvar) {

  public LatentPool {
    if (mu.isEmpty() || mu.size() != logvar.size()) {
      throw new IllegalArgumentException(
          "a latent pool needs at least one (mu, logvar) pair, as many of each");
    }
    for (int i = 0; i < mu.size(); i++) {
      if (mu.get(i).length != MdnSpec.LATENT || logvar.get(i).length != MdnSpec.LATENT) {
        throw new IllegalArgumentException(
            "pool entry " + i + " is not " + MdnSpec.LATENT + "-dimensional");
      }
    }
    mu = List.copyOf(mu);
    logvar = List.copyOf(logvar);
  }

  public int size() {
    return mu.size();
  }

  /** Draws a starting z into {@code out[offset..offset+32)}. */
  void draw(SplittableRandom random, float[] out, int offset) {
    int i = random.nextInt(mu.size());
    float[] m = mu.get(i);
    float[] lv = logvar.get(i);
    for (int d = 0; d < MdnSpec.LATENT; d++) {
      out[offset + d] = (float) (m[d] + Math.exp(0.5 * lv[d]) * random.nextGaussian());
    }
  }
}
