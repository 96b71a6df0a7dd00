package io.worldstream.envs.policy;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;

/**
 * Turns observations into the feature vector a {@link LinearController} reads. For World Models
 * that is [z, h]: the VAE latent of the frame and the MDN-RNN's hidden state, which depends on the
 * actions taken so far; implementations hold that state per episode, and may hold a shared model
 * until they are closed.
 */
public interface FeatureExtractor extends AutoCloseable {

  /** Length of the vectors {@link #features} returns. */
  int size();

  /** Starts a new episode (clears recurrent state). */
  void reset();

  /** Features of this observation. */
  float[] features(Pixels observation);

  /**
   * Tells the extractor which action was taken on the last observation (recurrent models need it).
   */
  default void observeAction(Action action) {}

  /** Hands back what the extractor holds (a shared model); it is not used afterwards. */
  @Override
  default void close() {}
}
