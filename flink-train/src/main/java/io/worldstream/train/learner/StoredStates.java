package io.worldstream.train.learner;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.mdn.DjlMdnRnn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MDN-RNN's memory along the episodes a lineage is receiving, so that a training sequence that
 * continues an episode starts from the memory the model had there rather than from an empty one
 * (R2D2's stored state). A dream runs the model for up to a thousand steps from its start, while a
 * sequence is a few dozen: trained from zeros alone, the model never learns to predict from the
 * memory that a long rollout builds up.
 *
 * <p>Sequences of an episode reach the learner in order, each starting within the one before it
 * ({@link SequenceAssembler}). As each arrives it takes its start state from the states its
 * predecessor left ({@link #attach}), and the learner's current model runs along it from there to
 * leave the states its successor starts from ({@link #follow}). The states are as stale as the
 * model that computed them, as R2D2's are. They live in memory only: after a restore, or for an
 * episode whose predecessor was let go, a chain starts again from zeros. At most {@code episodes}
 * episodes are followed at a time, the least recently continued let go first.
 */
final class StoredStates {

  /**
   * Episodes a lineage follows at most: far more than run at once (a worker runs one at a time per
   * environment), so only episodes whose workers stopped are let go. 64 KiB each at the default
   * sequence length.
   */
  static final int EPISODES_FOLLOWED = 256;

  private final Map<String, Along> episodes;

  /** The states after each of a sequence's steps: entry j is the memory meeting step from + j. */
  private record Along(long from, float[] h, float[] c) {}

  StoredStates(int episodes) {
    this.episodes =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Along> eldest) {
            return size() > episodes;
          }
        };
  }

  /**
   * Gives {@code sequence} the memory its first step met, where the episode's previous sequence
   * reached that step; leaves it starting from zeros otherwise.
   */
  void attach(TrainingSequence sequence) {
    Along along = episodes.get(sequence.episode);
    if (along == null) {
      return;
    }
    long j = sequence.firstStep - along.from;
    int rows = along.h.length / MdnSpec.HIDDEN;
    if (j < 0 || j >= rows) {
      return;
    }
    int at = (int) j * MdnSpec.HIDDEN;
    sequence.h0 = Arrays.copyOfRange(along.h, at, at + MdnSpec.HIDDEN);
    sequence.c0 = Arrays.copyOfRange(along.c, at, at + MdnSpec.HIDDEN);
  }

  /**
   * Runs {@code model} along {@code sequence} (on its latents' means, from its start state) and
   * keeps the memory after each step for the episode's next sequence; forgets an episode that the
   * sequence ends.
   */
  void follow(TrainingSequence sequence, DjlMdnRnn model, NDManager manager) {
    if (sequence.endsEpisode) {
      episodes.remove(sequence.episode);
      return;
    }
    int t = sequence.length;
    try (NDManager arrays = manager.newSubManager()) {
      float[] z = Arrays.copyOf(sequence.mu, t * MdnSpec.LATENT);
      Shape state = new Shape(1, MdnSpec.HIDDEN);
      NDList hc =
          model.states(
              arrays.create(z, new Shape(1, t, MdnSpec.LATENT)),
              arrays.create(sequence.actions, new Shape(1, t, MdnSpec.ACTIONS)),
              sequence.h0 == null ? null : arrays.create(sequence.h0, state),
              sequence.c0 == null ? null : arrays.create(sequence.c0, state));
      episodes.put(
          sequence.episode,
          new Along(sequence.firstStep + 1, hc.get(0).toFloatArray(), hc.get(1).toFloatArray()));
    }
  }
}
