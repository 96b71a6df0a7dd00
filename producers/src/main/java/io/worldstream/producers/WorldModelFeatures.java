package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.models.vae.VaeEncoder;
import java.util.Arrays;
import java.util.List;

/**
 * The controller's features in a real episode, as World Models computes them: z_t is the VAE's μ
 * for the observation, h_t the MDN-RNN's hidden state after the steps so far; after each action the
 * MDN-RNN advances on (z_t, a_t). One per environment; the models are shared, and the MDN-RNN is
 * leased until the extractor is closed.
 */
final class WorldModelFeatures implements FeatureExtractor {

  private final VaeEncoder encoder;
  private final LeasedModels<MdnRnnStep>.Lease lease;
  private final MdnRnnStep rnn;
  private final float[] h = new float[MdnSpec.HIDDEN];
  private final float[] c = new float[MdnSpec.HIDDEN];
  private float[] z = new float[MdnSpec.LATENT];

  WorldModelFeatures(VaeEncoder encoder, LeasedModels<MdnRnnStep>.Lease lease) {
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
    z = encoder.encodeObservations(List.of(observation.data())).mu();
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
    MdnRnnStep.Output out = rnn.step(z, values, h, c, 1);
    System.arraycopy(out.h(), 0, h, 0, MdnSpec.HIDDEN);
    System.arraycopy(out.c(), 0, c, 0, MdnSpec.HIDDEN);
  }

  @Override
  public void close() {
    lease.close();
  }
}
