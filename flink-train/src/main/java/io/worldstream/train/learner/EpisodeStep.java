package io.worldstream.train.learner;

import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.records.LatentStep;
import java.util.Arrays;
import java.util.Objects;

/**
 * One step of an episode as the learner uses it: the latent of o_t, the action a_t, and the reward
 * and end that a_t caused (the convention of {@code ExperienceStep}). A Flink POJO (public fields,
 * no-argument constructor), so state and network use Flink's own serializers, not Kryo.
 */
public class EpisodeStep {

  public String episode;
  public String vaeVersion;
  public long step;
  public float[] mu;
  public float[] logvar;
  public float[] action;
  public float reward;
  public boolean terminated;
  public boolean truncated;

  /** When the frame was observed, ms since the epoch. */
  public long eventTime;

  public EpisodeStep() {}

  public static EpisodeStep of(LatentStep latent) {
    EpisodeStep s = new EpisodeStep();
    s.episode = latent.getEpisodeId();
    s.vaeVersion = latent.getVaeVersion();
    s.step = latent.getStep();
    s.mu = floats(latent.getMu());
    s.logvar = floats(latent.getLogvar());
    s.action = floats(latent.getAction());
    s.reward = (float) latent.getReward();
    s.terminated = latent.getTerminated();
    s.truncated = latent.getTruncated();
    s.eventTime = latent.getEventTime().toEpochMilli();
    return s;
  }

  private static float[] floats(java.util.List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** Whether this step ended its episode. */
  public boolean ends() {
    return terminated || truncated;
  }

  /**
   * Why this step cannot be trained on, or null: latents of the wrong size or not finite, an action
   * of the wrong size, a reward that is not a number.
   */
  public String defect() {
    if (episode == null || vaeVersion == null) {
      return "MISSING_KEY: no episode or VAE version";
    }
    if (mu == null
        || logvar == null
        || mu.length != MdnSpec.LATENT
        || logvar.length != MdnSpec.LATENT) {
      return "WRONG_LATENT_SIZE: mu and logvar must have "
          + MdnSpec.LATENT
          + " values, have "
          + (mu == null ? 0 : mu.length)
          + " and "
          + (logvar == null ? 0 : logvar.length);
    }
    if (action == null || action.length != MdnSpec.ACTIONS) {
      return "WRONG_ACTION_SIZE: the action must have "
          + MdnSpec.ACTIONS
          + " values, has "
          + (action == null ? 0 : action.length);
    }
    for (float[] values : new float[][] {mu, logvar, action}) {
      for (float v : values) {
        if (!Float.isFinite(v)) {
          return "NON_FINITE: a latent or action value is " + v;
        }
      }
    }
    if (!Float.isFinite(reward)) {
      return "NON_FINITE: the reward is " + reward;
    }
    if (step < 0) {
      return "NEGATIVE_STEP: step " + step;
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpisodeStep s
        && step == s.step
        && reward == s.reward
        && terminated == s.terminated
        && truncated == s.truncated
        && eventTime == s.eventTime
        && Objects.equals(episode, s.episode)
        && Objects.equals(vaeVersion, s.vaeVersion)
        && Arrays.equals(mu, s.mu)
        && Arrays.equals(logvar, s.logvar)
        && Arrays.equals(action, s.action);
  }

  @Override
  public int hashCode() {
    return Objects.hash(episode, step);
  }

  @Override
  public String toString() {
    return episode + "@" + step;
  }
}
