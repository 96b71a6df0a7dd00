package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.records.ControllerUpdate;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Acts with the newest published controller, switching to a newer one at the start of the next
 * episode. Until a controller exists, or while this process has no world model to compute the
 * controller's features, it acts with the fallback policy and says why, once per reason. Each step
 * records the policy that actually chose it ({@link #id()}, {@link #version()}).
 */
final class ControllerPolicy implements Policy {

  private final Supplier<ControllerUpdate> newest;
  private final Optional<FeatureExtractor> features;
  private final Policy fallback;
  private final Consumer<String> say;
  private ControllerUpdate inUse;
  private LinearController controller;
  private String lastReason;

  ControllerPolicy(
      Supplier<ControllerUpdate> newest,
      Optional<FeatureExtractor> features,
      Policy fallback,
      Consumer<String> say) {
    this.newest = newest;
    this.features = features;
    this.fallback = fallback;
    this.say = say;
  }

  @Override
  public String id() {
    return controller != null ? WorkerOptions.CONTROLLER : fallback.id();
  }

  @Override
  public long version() {
    return controller != null ? inUse.getVersion() : fallback.version();
  }

  @Override
  public void reset() {
    fallback.reset();
    features.ifPresent(FeatureExtractor::reset);
    ControllerUpdate update = newest.get();
    String reason = null;
    if (update == null) {
      reason = "no controller published yet";
    } else if (features.isEmpty()) {
      reason =
          "controller v"
              + update.getVersion()
              + " needs the world model's features [z, h], which this worker does not run";
    } else if (update.getInputSize() != features.get().size() || update.getOutputSize() != 3) {
      reason =
          "controller v"
              + update.getVersion()
              + " takes "
              + update.getInputSize()
              + " features, the world model gives "
              + features.get().size();
    }
    if (reason != null) {
      controller = null;
      inUse = null;
      if (!reason.equals(lastReason)) {
        say.accept(
            "policy controller: " + reason + "; acting with " + fallback.id() + " meanwhile");
        lastReason = reason;
      }
      return;
    }
    if (inUse == null || inUse.getVersion() != update.getVersion()) {
      controller =
          new LinearController(
              update.getInputSize(),
              update.getOutputSize(),
              toArray(update.getWeights()),
              toArray(update.getBias()));
      inUse = update;
      lastReason = null;
      say.accept(
          "policy controller: acting with controller v"
              + update.getVersion()
              + " of "
              + update.getLineage());
    }
  }

  @Override
  public Action act(Pixels observation) {
    if (controller == null) {
      return fallback.act(observation);
    }
    FeatureExtractor extractor = features.orElseThrow();
    Action action = controller.carRacingAction(extractor.features(observation));
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
