package io.worldstream.train.learner;

import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.mdn.MdnRnnTrainer;
import java.util.Arrays;
import java.util.List;

/** Training sequences as the MDN-RNN trainer takes them: padded batches, and losses over many. */
final class Minibatches {

  private Minibatches() {}

  /**
   * Sequences padded to the longest, with a mask of 0 on each sequence's context and on the
   * padding, a latent mask of 0 also on an episode's last step, and each sequence's stored state
   * (zeros for one without, none at all where no sequence has one).
   */
  static MdnRnnTrainer.Batch of(List<TrainingSequence> sequences) {
    int b = sequences.size();
    int t = sequences.stream().mapToInt(s -> s.length).max().orElse(1);
    int z = MdnSpec.LATENT;
    int a = MdnSpec.ACTIONS;
    float[] mu = new float[b * (t + 1) * z];
    float[] logvar = new float[mu.length];
    float[] actions = new float[b * t * a];
    float[] rewards = new float[b * t];
    float[] dones = new float[b * t];
    float[] mask = new float[b * t];
    float[] latentMask = new float[b * t];
    boolean stored = sequences.stream().anyMatch(s -> s.h0 != null);
    float[] h0 = stored ? new float[b * MdnSpec.HIDDEN] : null;
    float[] c0 = stored ? new float[b * MdnSpec.HIDDEN] : null;
    for (int i = 0; i < b; i++) {
      TrainingSequence s = sequences.get(i);
      System.arraycopy(s.mu, 0, mu, i * (t + 1) * z, s.mu.length);
      System.arraycopy(s.logvar, 0, logvar, i * (t + 1) * z, s.logvar.length);
      System.arraycopy(s.actions, 0, actions, i * t * a, s.actions.length);
      System.arraycopy(s.rewards, 0, rewards, i * t, s.length);
      System.arraycopy(s.dones, 0, dones, i * t, s.length);
      Arrays.fill(mask, i * t + s.context, i * t + s.length, 1);
      Arrays.fill(latentMask, i * t + s.context, i * t + s.length - (s.endsEpisode ? 1 : 0), 1);
      if (s.h0 != null) {
        System.arraycopy(s.h0, 0, h0, i * MdnSpec.HIDDEN, MdnSpec.HIDDEN);
        System.arraycopy(s.c0, 0, c0, i * MdnSpec.HIDDEN, MdnSpec.HIDDEN);
      }
    }
    return new MdnRnnTrainer.Batch(
        b, t, mu, logvar, actions, rewards, dones, mask, latentMask, h0, c0);
  }

  /**
   * The mean losses of {@code sequences} (each weighted by its masked steps, as one big batch would
   * weigh them), evaluated in minibatches.
   */
  static PublishedModel.Losses evaluate(
      MdnRnnTrainer trainer, List<TrainingSequence> sequences, int batchSize) {
    double nll = 0;
    double reward = 0;
    double done = 0;
    double latents = 0;
    double transitions = 0;
    for (int from = 0; from < sequences.size(); from += batchSize) {
      MdnRnnTrainer.Batch batch =
          of(sequences.subList(from, Math.min(sequences.size(), from + batchSize)));
      MdnRnnTrainer.Losses l = trainer.evaluate(batch);
      double n = sum(batch.mask());
      double m = sum(batch.latentMask());
      nll += l.nll() * m;
      reward += l.rewardMse() * n;
      done += l.doneBce() * n;
      latents += m;
      transitions += n;
    }
    return new PublishedModel.Losses(nll / latents, reward / transitions, done / transitions);
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
