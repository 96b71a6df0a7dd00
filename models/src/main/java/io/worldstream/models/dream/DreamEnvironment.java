package io.worldstream.models.dream;

import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSampler;
import io.worldstream.models.mdn.MdnSpec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * N dreams stepped together inside the world model: each starts from a real latent, and every
 * {@link #step} feeds all N actions through the MDN-RNN in one ONNX Runtime call, samples each
 * dream's next z at the temperature, and returns the predicted rewards and ends with the
 * controller's next features [z, h]. A dream that ended keeps being stepped (its results are the
 * caller's to ignore), so the batch stays rectangular. Not thread-safe.
 *
 * <p>With dropout p, every dream draws its own mask over h at {@link #reset} (each unit kept with
 * probability 1 − p, scaled by 1 / (1 − p)) and keeps it for the whole rollout: each dream runs a
 * different sub-model, so a controller cannot win by exploiting one model's particular errors
 * (Wellmer &amp; Kwok, "Dropout's Dream Land", 2021).
 *
 * <p>With S scenarios, dream i plays scenario i mod S: dreams of one scenario start from the same
 * latent, draw the same dropout mask and the same sampling noise (common random numbers), so
 * controllers that drive them differ in return by what they do, not by the luck of their dreams.
 * With S = N every dream is its own.
 */
public final class DreamEnvironment {

  /** Length of a controller's feature vector [z, h]. */
  public static final int FEATURES = MdnSpec.LATENT + MdnSpec.HIDDEN;

  /**
   * One step of all dreams.
   *
   * @param features [N, 32 + 256] row-major: the next z, then h
   * @param done whether each dream ended at this step or before
   */
  public record Step(float[] features, float[] rewards, boolean[] done) {}

  private final MdnRnnStep model;
  private final LatentPool pool;
  private final int n;
  private final double temperature;
  private final double doneThreshold;
  private final double dropout;
  private final SplittableRandom[] randoms;
  private final MdnSampler[] samplers;
  private final float[] z;
  private float[] h;
  private float[] c;
  private final float[] headMask;
  private final boolean[] ended;

  /**
   * @param temperature MDN sampling temperature τ
   * @param doneThreshold a dream ends when the predicted probability of done exceeds this
   */
  public DreamEnvironment(
      MdnRnnStep model,
      LatentPool pool,
      int n,
      double temperature,
      double doneThreshold,
      long seed) {
    this(model, pool, n, temperature, doneThreshold, 0, seed);
  }

  /**
   * @param dropout the probability that a unit of h is dropped for a whole dream (0 for none)
   */
  public DreamEnvironment(
      MdnRnnStep model,
      LatentPool pool,
      int n,
      double temperature,
      double doneThreshold,
      double dropout,
      long seed) {
    this(model, pool, n, n, temperature, doneThreshold, dropout, seed);
  }

  /**
   * @param scenarios how many different dreams the N play: dream i plays scenario i mod scenarios,
   *     with that scenario's start, dropout mask and sampling noise
   */
  public DreamEnvironment(
      MdnRnnStep model,
      LatentPool pool,
      int n,
      int scenarios,
      double temperature,
      double doneThreshold,
      double dropout,
      long seed) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must lie in [0, 1), not " + dropout);
    }
    if (n < 1) {
      throw new IllegalArgumentException("need at least one dream, not " + n);
    }
    if (scenarios < 1 || scenarios > n) {
      throw new IllegalArgumentException(
          "the scenarios must number between 1 and the " + n + " dreams, not " + scenarios);
    }
    this.model = model;
    this.pool = pool;
    this.n = n;
    this.temperature = temperature;
    this.doneThreshold = doneThreshold;
    this.dropout = dropout;
    SplittableRandom seeds = new SplittableRandom(seed);
    long[] scenarioSeeds = new long[scenarios];
    for (int s = 0; s < scenarios; s++) {
      scenarioSeeds[s] = seeds.nextLong();
    }
    this.randoms = new SplittableRandom[n];
    this.samplers = new MdnSampler[n];
    for (int i = 0; i < n; i++) {
      randoms[i] = new SplittableRandom(scenarioSeeds[i % scenarios]);
      samplers[i] = new MdnSampler(randoms[i].nextLong());
    }
    this.z = new float[n * MdnSpec.LATENT];
    this.h = new float[n * MdnSpec.HIDDEN];
    this.c = new float[n * MdnSpec.HIDDEN];
    this.headMask = dropout > 0 ? new float[n * MdnSpec.HIDDEN] : null;
    this.ended = new boolean[n];
  }

  public int size() {
    return n;
  }

  /**
   * Starts every dream from a real latent with zero recurrent state; returns the first features.
   */
  public float[] reset() {
    float kept = (float) (1 / (1 - dropout));
    for (int i = 0; i < n; i++) {
      pool.draw(randoms[i], z, i * MdnSpec.LATENT);
      if (headMask != null) {
        for (int u = i * MdnSpec.HIDDEN; u < (i + 1) * MdnSpec.HIDDEN; u++) {
          headMask[u] = randoms[i].nextDouble() < dropout ? 0f : kept;
        }
      }
    }
    Arrays.fill(h, 0);
    Arrays.fill(c, 0);
    Arrays.fill(ended, false);
    return features();
  }

  /** Advances all dreams by one step; {@code actions} is [N, 3]. */
  public Step step(float[] actions) {
    if (actions.length != n * MdnSpec.ACTIONS) {
      throw new IllegalArgumentException(
          "expected " + n * MdnSpec.ACTIONS + " action values, got " + actions.length);
    }
    MdnRnnStep.Output out = model.step(z, actions, h, c, headMask, n);
    for (int i = 0; i < n; i++) {
      samplers[i].sample(
          out.logPi(),
          out.mu(),
          out.logSigma(),
          i * MdnSpec.LATENT,
          MdnSpec.LATENT,
          temperature,
          z);
    }
    h = out.h();
    c = out.c();
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      ended[i] |= out.done()[i] > doneThreshold;
      done[i] = ended[i];
    }
    return new Step(features(), out.reward(), done);
  }

  private float[] features() {
    float[] features = new float[n * FEATURES];
    for (int i = 0; i < n; i++) {
      System.arraycopy(z, i * MdnSpec.LATENT, features, i * FEATURES, MdnSpec.LATENT);
      System.arraycopy(
          h, i * MdnSpec.HIDDEN, features, i * FEATURES + MdnSpec.LATENT, MdnSpec.HIDDEN);
    }
    return features;
  }
}
