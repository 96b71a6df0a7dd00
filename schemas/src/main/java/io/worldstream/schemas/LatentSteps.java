package io.worldstream.schemas;

import io.worldstream.records.LatentStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Latent steps made without an encoder, for tests and benchmarks that need the shape of encoded
 * episodes rather than real frames: one place that knows which fields a latent step must carry.
 */
public final class LatentSteps {

  /** The log-variance a step gets unless set: a confident encoder, as the default VAE's are. */
  public static final float LOGVAR = -3f;

  private LatentSteps() {}

  /**
   * Step {@code step} of {@code episode} with mean {@code mu}, encoded by {@code vae} and written
   * now; no action yet (all zero), no reward, the episode not ended, and {@link #LOGVAR} in every
   * dimension. Set the rest on the builder.
   */
  public static LatentStep.Builder step(String episode, int step, List<Float> mu, String vae) {
    Instant now = Instant.now();
    return LatentStep.newBuilder()
        .setEpisodeId(episode)
        .setStep(step)
        .setMu(mu)
        .setLogvar(Collections.nCopies(mu.size(), LOGVAR))
        .setAction(List.of(0f, 0f, 0f))
        .setReward(0)
        .setTerminated(false)
        .setTruncated(false)
        .setVaeVersion(vae)
        .setEventTime(now)
        .setEncodeTime(now);
  }

  /** {@code values} as the list a latent step's mean or action holds. */
  public static List<Float> floats(float... values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }

  /**
   * An episode a model can learn: the latent starts at {@code start} and each step's steering
   * (normal, sd 0.5, at half gas) moves it, the even dimensions with the steering and the odd ones
   * against it, while the old latent decays by 0.9; steering right earns 1, anything else −0.1.
   * Steps carry log-variance −6 (a sharp encoder); the last is truncated.
   */
  public static List<LatentStep> randomWalk(
      String episode, float[] start, int steps, Random random, String vae) {
    float[] z = start.clone();
    List<LatentStep> walk = new ArrayList<>(steps);
    for (int t = 0; t < steps; t++) {
      float steer = (float) random.nextGaussian() * 0.5f;
      walk.add(
          step(episode, t, floats(z), vae)
              .setLogvar(Collections.nCopies(z.length, -6f))
              .setAction(List.of(steer, 0.5f, 0f))
              .setReward(steer > 0 ? 1 : -0.1)
              .setTruncated(t == steps - 1)
              .build());
      for (int d = 0; d < z.length; d++) {
        z[d] = 0.9f * z[d] + (d % 2 == 0 ? steer : -steer) * 0.3f;
      }
    }
    return walk;
  }
}
