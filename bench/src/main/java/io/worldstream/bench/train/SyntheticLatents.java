package io.worldstream.bench.train;

import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.LatentSteps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Latents for the learner's benchmarks: Gaussian noise in the shape the learner trains on. */
final class SyntheticLatents {

  private SyntheticLatents() {}

  /** Step {@code step} of {@code episode}, written now; {@code last} truncates the episode. */
  static LatentStep step(Random random, String episode, int step, boolean last) {
    List<Float> mu = new ArrayList<>();
    for (int d = 0; d < MdnSpec.LATENT; d++) {
      mu.add((float) random.nextGaussian());
    }
    return LatentSteps.step(episode, step, mu, "bench")
        .setLogvar(Collections.nCopies(MdnSpec.LATENT, -2f))
        .setAction(List.of((float) random.nextGaussian() * 0.5f, 0.5f, 0f))
        .setReward(-0.1)
        .setTruncated(last)
        .build();
  }
}
