package io.worldstream.bench.train;

import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.LatentStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Latents for the learner's benchmarks: Gaussian noise in the shape the learner trains on. */
final class SyntheticLatents {

  private SyntheticLatents() {}

  /** Step {@code step} of {@code episode}, written now; {@code last} truncates the episode. */
  static LatentStep step(Random random, String episode, int step, boolean last) {
    List<Float> mu = new ArrayList<>();
    List<Float> logvar = new ArrayList<>();
    for (int d = 0; d < MdnSpec.LATENT; d++) {
      mu.add((float) random.nextGaussian());
      logvar.add(-2f);
    }
    return LatentStep.newBuilder()
        .setEpisodeId(episode)
        .setStep(step)
        .setMu(mu)
        .setLogvar(logvar)
        .setAction(List.of((float) random.nextGaussian() * 0.5f, 0.5f, 0f))
        .setReward(-0.1)
        .setTerminated(false)
        .setTruncated(last)
        .setVaeVersion("bench")
        .setEventTime(Instant.now())
        .setEncodeTime(Instant.now())
        .build();
  }
}
