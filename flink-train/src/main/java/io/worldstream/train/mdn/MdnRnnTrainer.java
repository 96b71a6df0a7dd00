package io.worldstream.train.mdn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.GradientClipping;
import java.util.Map;

/**
 * One reusable MDN-RNN training step (batch of sequences in, losses out), as the Flink learner
 * calls it: z is drawn afresh from each step's (μ, log σ²) as the paper does, the model is
 * teacher-forced over the sequence, and Adam updates the weights after global-norm clipping. Each
 * step runs in its own sub-manager and scope, so memory stays flat over any number of steps.
 */
public final class MdnRnnTrainer {

  /**
   * A batch of B sequences of T steps, row-major. Latents have T + 1 entries per sequence: step t
   * predicts latent t + 1.
   *
   * @param mu, logvar [B, T + 1, 32]
   * @param actions [B, T, 3]
   * @param rewards, dones, mask [B, T] (mask 0 marks padding after a short sequence's end)
   */
  public record Batch(
      int batch,
      int steps,
      float[] mu,
      float[] logvar,
      float[] actions,
      float[] rewards,
      float[] dones,
      float[] mask) {
    public Batch {
      int latents = batch * (steps + 1) * MdnSpec.LATENT;
      if (mu.length != latents
          || logvar.length != latents
          || actions.length != batch * steps * MdnSpec.ACTIONS
          || rewards.length != batch * steps
          || dones.length != batch * steps
          || mask.length != batch * steps) {
        throw new IllegalArgumentException(
            "batch arrays do not match " + batch + " sequences of " + steps + " steps");
      }
    }
  }

  /** Mean losses of a batch; total = nll + rewardMse + doneBce. */
  public record Losses(double total, double nll, double rewardMse, double doneBce) {}

  private final NDManager manager;
  private final DjlMdnRnn model;
  private final Optimizer optimizer;
  private final double maxGradNorm;

  public MdnRnnTrainer(NDManager manager, DjlMdnRnn model, float learningRate, double maxGradNorm) {
    this.manager = manager;
    this.model = model;
    this.optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    this.maxGradNorm = maxGradNorm;
  }

  public DjlMdnRnn model() {
    return model;
  }

  /** One optimisation step. */
  public Losses step(Batch batch) {
    Losses losses;
    try (NDScope scope = new NDScope();
        NDManager step = manager.newSubManager()) {
      model.weights().zeroGradients();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList values = losses(batch, step);
        collector.backward(values.get(0));
        losses = read(values);
      }
      GradientClipping.clipGlobalNorm(model.weights().all().values(), maxGradNorm);
    }
    // Outside the scope: Adam keeps its moment estimates between steps.
    for (Map.Entry<String, NDArray> w : model.weights().all().entrySet()) {
      try (NDArray gradient = w.getValue().getGradient()) {
        optimizer.update(w.getKey(), w.getValue(), gradient);
      }
    }
    return losses;
  }

  /** The losses without updating (held-out evaluation). */
  public Losses evaluate(Batch batch) {
    try (NDScope scope = new NDScope();
        NDManager step = manager.newSubManager()) {
      return read(losses(batch, step));
    }
  }

  private NDList losses(Batch batch, NDManager step) {
    int b = batch.batch();
    int t = batch.steps();
    NDArray mu = step.create(batch.mu(), new Shape(b, t + 1, MdnSpec.LATENT));
    NDArray logvar = step.create(batch.logvar(), new Shape(b, t + 1, MdnSpec.LATENT));
    NDArray z = mu.add(logvar.mul(0.5).exp().mul(step.randomNormal(mu.getShape())));
    NDArray head =
        model.sequence(
            z.get(":, 0:" + t + ", :"),
            step.create(batch.actions(), new Shape(b, t, MdnSpec.ACTIONS)));
    return MdnLoss.of(
        head,
        z.get(":, 1:, :"),
        step.create(batch.rewards(), new Shape(b, t)),
        step.create(batch.dones(), new Shape(b, t)),
        step.create(batch.mask(), new Shape(b, t)));
  }

  private static Losses read(NDList values) {
    return new Losses(
        values.get(0).getFloat(),
        values.get(1).getFloat(),
        values.get(2).getFloat(),
        values.get(3).getFloat());
  }
}
