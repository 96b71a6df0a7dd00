package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.records.ControllerUpdate;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Acts with the newest published controller, switching to a newer one at the start of the next
 * episode. Until a controller exists, or while its world model (the checkpoint it was trained in,
 * and the VAE) is not available to compute its features, it acts with the fallback policy and says
 * why, once per reason. Each step records the policy that actually chose it ({@link #id()}, {@link
 * #version()}). In the episodes that explore, smooth noise is added to the controller's outputs
 * ({@link Exploration}); their steps record the policy {@value #EXPLORING}.
 */
final class ControllerPolicy implements Policy {

  /** The policy id of a step chosen by the controller with exploration noise added. */
  static final String EXPLORING = "controller+noise";

  private final Supplier<ControllerUpdate> newest;
  private final FeatureSource features;
  private final Policy fallback;
  private final Exploration.Noise noise;
  private final Consumer<String> say;
  private ControllerUpdate inUse;
  private LinearController controller;
  private FeatureExtractor extractor;
  private String lastReason;

  ControllerPolicy(
      Supplier<ControllerUpdate> newest,
      FeatureSource features,
      Policy fallback,
      Exploration.Noise noise,
      Consumer<String> say) {
    this.newest = newest;
    this.features = features;
    this.fallback = fallback;
    this.noise = noise;
    this.say = say;
  }

  @Override
  public String id() {
    if (controller == null) {
      return fallback.id();
    }
    return noise.active() ? EXPLORING : WorkerSettings.Policy.CONTROLLER.id();
  }

  @Override
  public long version() {
    return controller != null ? inUse.getVersion() : fallback.version();
  }

  @Override
  public void reset() {
    fallback.reset();
    noise.reset();
    ControllerUpdate update = newest.get();
    if (update == null) {
      fallBack("no controller published yet");
      return;
    }
    if (inUse == null || inUse.getVersion() != update.getVersion()) {
      FeatureSource.Features found = features.forController(update);
      if (found instanceof FeatureSource.Features.Missing missing) {
        fallBack("controller v" + update.getVersion() + ": " + missing.reason());
        return;
      }
      FeatureExtractor candidate = ((FeatureSource.Features.Ready) found).extractor();
      if (update.getInputSize() != candidate.size() || update.getOutputSize() != 3) {
        candidate.close();
        fallBack(
            "controller v"
                + update.getVersion()
                + " takes "
                + update.getInputSize()
                + " features, the world model gives "
                + candidate.size());
        return;
      }
      LinearController next =
          new LinearController(
              update.getInputSize(),
              update.getOutputSize(),
              toArray(update.getWeights()),
              toArray(update.getBias()));
      release();
      controller = next;
      extractor = candidate;
      inUse = update;
      lastReason = null;
      say.accept(
          "policy controller: acting with controller v"
              + update.getVersion()
              + " of "
              + update.getLineage());
    }
    extractor.reset();
  }

  private void fallBack(String reason) {
    release();
    controller = null;
    extractor = null;
    inUse = null;
    if (!reason.equals(lastReason)) {
      say.accept("policy controller: " + reason + "; acting with " + fallback.id() + " meanwhile");
      lastReason = reason;
    }
  }

  /** Hands back the model its features are computed with, when the worker stops. */
  @Override
  public void close() {
    release();
  }

  /** Hands back the model the previous controller's features were computed with. */
  private void release() {
    if (extractor != null) {
      extractor.close();
      extractor = null;
    }
  }

  @Override
  public Action act(Pixels observation) {
    if (controller == null) {
      return fallback.act(observation);
    }
    double[] outputs = controller.outputs(extractor.features(observation));
    noise.perturb(outputs);
    Action action = LinearController.carRacingAction(outputs);
    extractor.observeAction(action);
    return action;
  }

  private static float[] toArray(java.util.List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
