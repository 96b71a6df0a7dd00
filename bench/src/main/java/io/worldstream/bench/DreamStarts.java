package io.worldstream.bench;

import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Dream starting points for benchmarks: speed does not depend on the latents' values. */
public final class DreamStarts {

  private DreamStarts() {}

  /** 64 standard-normal means with log σ² = −2, the same in every run. */
  public static LatentPool gaussian() {
    Random random = new Random(1);
    List<float[]> mu = new ArrayList<>();
    List<float[]> logvar = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      float[] m = new float[MdnSpec.LATENT];
      float[] lv = new float[MdnSpec.LATENT];
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        m[d] = (float) random.nextGaussian();
        lv[d] = -2;
      }
      mu.add(m);
      logvar.add(lv);
    }
    return new LatentPool(mu, logvar);
  }
}
