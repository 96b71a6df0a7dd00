package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.runtime.LeasedModels;
import java.util.Arrays;

/**
 * The controller's features in a real episode, as World Models computes them: z_t is the VAE's μ
 * for the observation, h_t the MDN-RNN's hidden state after the steps so far; after each action the
 * MDN-RNN advances on (z_t, a_t). One per environment; the models are shared, and the MDN-RNN is
 * leased until the extractor is closed.
 */
final class WorldModelFeatures implements FeatureExtractor {

  private final SharedModels.Encoder encoder;
  private final LeasedModels<SharedModels.Step>.Lease lease;
  private final SharedModels.Step rnn;
  private final float[] h = new float[MdnSpec.HIDDEN];
  private final float[] c = new float[MdnSpec.HIDDEN];
  private float[] z = new float[MdnSpec.LATENT];

  WorldModelFeatures(SharedModels.Encoder encoder, LeasedModels<SharedModels.Step>.Lease lease) {
    this.encoder = encoder;
    this.lease = lease;
    this.rnn = lease.model();
  }

  @Override
  public int size() {
    return MdnSpec.LATENT + MdnSpec.HIDDEN;
  }

  @Override
  public void reset() {
    Arrays.fill(h, 0);
    Arrays.fill(c, 0);
  }

  @Override
  public float[] features(Pixels observation) {
    z = encoder.mu(observation.data());
    float[] features = new float[size()];
    System.arraycopy(z, 0, features, 0, MdnSpec.LATENT);
    System.arraycopy(h, 0, features, MdnSpec.LATENT, MdnSpec.HIDDEN);
    return features;
  }

  @Override
  public void observeAction(Action action) {
    Action.Continuous a = (Action.Continuous) action;
    float[] values = new float[MdnSpec.ACTIONS];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) a.get(i);
    }
    rnn.advance(z, values, h, c);
  }

  @Override
  public void close() {
    lease.close();
  }
}
