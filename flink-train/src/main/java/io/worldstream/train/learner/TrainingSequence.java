package io.worldstream.train.learner;

import io.worldstream.models.mdn.MdnSpec;
import java.util.List;

/**
 * T + 1 consecutive steps of one episode, with no step missing: the latents of all of them, and the
 * action, reward and end of the first T (step t's action leads to step t + 1's latent). What the
 * learner trains on. A Flink POJO.
 *
 * <p>When the last of the steps ends the episode, its action, reward and end are a transition too
 * ({@link #endsEpisode}): it has no next latent (that row of {@link #mu} and {@link #logvar} is
 * zero), but it is the only step that tells the model how an episode ends.
 */
public class TrainingSequence {

  public String episode;
  public String vaeVersion;
  public long firstStep;

  /** Transitions: T. */
  public int length;

  /**
   * The first transitions, given only to bring the LSTM's state to where the episode had it: the
   * learner takes no loss on them. 0 for a sequence that starts the episode.
   */
  public int context;

  /** [T + 1, 32] each. */
  public float[] mu;

  public float[] logvar;

  /** [T, 3]. */
  public float[] actions;

  /** [T] each. */
  public float[] rewards;

  public float[] dones;

  /** The last transition is the episode's last step, whose next latent is not known. */
  public boolean endsEpisode;

  /**
   * [256] each: the MDN-RNN's memory as the sequence's first step meets it, carried along the
   * episode by the learner's model ({@link StoredStates}); null where the sequence starts from an
   * empty memory (zeros).
   */
  public float[] h0;

  public float[] c0;

  /** The newest event time in the sequence, ms since the epoch (for freshness). */
  public long lastEventTime;

  public TrainingSequence() {}

  /** The sequence of {@code steps} (consecutive, at least two), every transition trained on. */
  public static TrainingSequence of(List<EpisodeStep> steps) {
    return of(steps, 0);
  }

  /**
   * The sequence of {@code steps} (consecutive, at least two) whose first {@code context}
   * transitions are context only.
   */
  public static TrainingSequence of(List<EpisodeStep> steps, int context) {
    if (steps.size() < 2) {
      throw new IllegalArgumentException("a sequence needs two steps at least");
    }
    TrainingSequence s = new TrainingSequence();
    s.endsEpisode = steps.get(steps.size() - 1).ends();
    int t = s.endsEpisode ? steps.size() : steps.size() - 1;
    if (context < 0 || context >= t) {
      throw new IllegalArgumentException(
          "the context must leave a transition to train on: " + context + " of " + t);
    }
    s.context = context;
    EpisodeStep first = steps.get(0);
    s.episode = first.episode;
    s.vaeVersion = first.vaeVersion;
    s.firstStep = first.step;
    s.length = t;
    s.mu = new float[(t + 1) * MdnSpec.LATENT];
    s.logvar = new float[(t + 1) * MdnSpec.LATENT];
    s.actions = new float[t * MdnSpec.ACTIONS];
    s.rewards = new float[t];
    s.dones = new float[t];
    for (int i = 0; i < steps.size(); i++) {
      EpisodeStep step = steps.get(i);
      if (step.step != first.step + i) {
        throw new IllegalArgumentException(
            "steps are not consecutive: "
                + step.step
                + " at position "
                + i
                + " after "
                + first.step);
      }
      System.arraycopy(step.mu, 0, s.mu, i * MdnSpec.LATENT, MdnSpec.LATENT);
      System.arraycopy(step.logvar, 0, s.logvar, i * MdnSpec.LATENT, MdnSpec.LATENT);
      s.lastEventTime = Math.max(s.lastEventTime, step.eventTime);
      if (i < t) {
        System.arraycopy(step.action, 0, s.actions, i * MdnSpec.ACTIONS, MdnSpec.ACTIONS);
        s.rewards[i] = step.reward;
        s.dones[i] = step.terminated ? 1 : 0;
      }
    }
    return s;
  }

  /** How many of the episode's steps the sequence holds. */
  public int steps() {
    return endsEpisode ? length : length + 1;
  }

  /** The last step whose latent the sequence holds. */
  public long lastStep() {
    return firstStep + length - (endsEpisode ? 1 : 0);
  }

  @Override
  public String toString() {
    return episode + "[" + firstStep + ".." + lastStep() + "]";
  }
}
