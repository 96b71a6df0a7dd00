package io.worldstream.serving.evaluator;

import io.worldstream.models.dream.LatentPool;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the evaluator searches with: the checkpoints it dreams in, from a {@link
 * CheckpointRegistry}, and the real states its dreams start from, from {@link DreamStarts}. Under
 * {@code evaluate} they are its own readers, closed with it; in {@code serve} and {@code up} they
 * are the server's, so one process follows {@code wm.checkpoints} and {@code wm.latents} once, and
 * they stay open when the evaluator stops.
 */
public final class SearchInputs implements AutoCloseable {

  private final CheckpointRegistry checkpoints;
  private final DreamStarts starts;
  private final boolean owned;

  private SearchInputs(CheckpointRegistry checkpoints, DreamStarts starts, boolean owned) {
    this.checkpoints = checkpoints;
    this.starts = starts;
    this.owned = owned;
  }

  /** Readers of its own, from the beginning of both topics, closed with it. */
  public static SearchInputs own(Map<String, Object> clientConfig, int startsPerVae) {
    return new SearchInputs(
        new CheckpointRegistry(clientConfig, 1), new DreamStarts(clientConfig, startsPerVae), true);
  }

  /** Another's readers, left open when it closes. */
  public static SearchInputs shared(CheckpointRegistry checkpoints, DreamStarts starts) {
    return new SearchInputs(checkpoints, starts, false);
  }

  /** Why either reader stopped, if one did. */
  Optional<Throwable> failure() {
    return checkpoints.failure().or(starts::failure);
  }

  /** Whether both have read what was published before they started. */
  boolean caughtUp() {
    return checkpoints.caughtUp() && starts.caughtUp();
  }

  /** Every lineage with its newest checkpoint, corrupt or not. */
  List<CheckpointEntry> lineages() {
    return checkpoints.lineages();
  }

  /** See {@link CheckpointRegistry#newestSound}. */
  Optional<CheckpointEntry> newestSound(Optional<String> lineage) {
    return checkpoints.newestSound(lineage);
  }

  /**
   * The checkpoint's model.
   *
   * @throws IllegalArgumentException if it is corrupt or no longer there
   */
  byte[] model(CheckpointEntry checkpoint) {
    CheckpointRegistry.Model model = checkpoints.model(checkpoint.lineage(), checkpoint.version());
    if (model instanceof CheckpointRegistry.Model.Found found) {
      return found.onnx();
    }
    if (model instanceof CheckpointRegistry.Model.Corrupt corrupt) {
      throw new IllegalArgumentException(corrupt.reason());
    }
    if (model instanceof CheckpointRegistry.Model.Gone gone) {
      throw new IllegalArgumentException(gone.reason());
    }
    throw new IllegalArgumentException("the registry does not know it");
  }

  /** See {@link DreamStarts#starts(String, double, int)}. */
  Optional<LatentPool> starts(String vaeVersion, double midEpisodeShare, int most) {
    return starts.starts(vaeVersion, midEpisodeShare, most);
  }

  @Override
  public void close() {
    if (owned) {
      starts.close();
      checkpoints.close();
    }
  }
}
