package io.worldstream.train.mdn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.train.TrainingStep;

/**
 * MDN-RNN training (batch of sequences in, losses out), as the Flink learner calls it: z is drawn
 * afresh from each step's (μ, log σ²) as the paper does and the model is teacher-forced over the
 * sequence, in a {@link TrainingStep} whose state can be checkpointed and restored.
 */
public final class MdnRnnTrainer {

  /**
   * A batch of B sequences of T steps, row-major. Latents have T + 1 entries per sequence: step t
   * predicts latent t + 1.
   *
   * @param mu, logvar [B, T + 1, 32]
   * @param actions [B, T, 3]
   * @param rewards, dones, mask [B, T] (mask 0 marks padding after a short sequence's end)
   * @param latentMask [B, T]: 0 also where step t + 1's latent is not known (an episode's last
   *     step, whose reward and end still train)
   * @param h0, c0 [B, 256]: the LSTM's state each sequence starts from; null for zero state
   */
  public record Batch(
      int batch,
      int steps,
      float[] mu,
      float[] logvar,
      float[] actions,
      float[] rewards,
      float[] dones,
      float[] mask,
      float[] latentMask,
      float[] h0,
      float[] c0) {

    /** A batch of sequences that start from zero state. */
    public Batch(
        int batch,
        int steps,
        float[] mu,
        float[] logvar,
        float[] actions,
        float[] rewards,
        float[] dones,
        float[] mask,
        float[] latentMask) {
      this(batch, steps, mu, logvar, actions, rewards, dones, mask, latentMask, null, null);
    }

    /** A batch in which every kept step's next latent is known. */
    public Batch(
        int batch,
        int steps,
        float[] mu,
        float[] logvar,
        float[] actions,
        float[] rewards,
        float[] dones,
        float[] mask) {
      this(batch, steps, mu, logvar, actions, rewards, dones, mask, mask);
    }

    public Batch {
      int latents = batch * (steps + 1) * MdnSpec.LATENT;
      if (mu.length != latents
          || logvar.length != latents
          || actions.length != batch * steps * MdnSpec.ACTIONS
          || rewards.length != batch * steps
          || dones.length != batch * steps
          || mask.length != batch * steps
          || latentMask.length != batch * steps
          || (h0 == null) != (c0 == null)
          || (h0 != null && (h0.length != batch * MdnSpec.HIDDEN || c0.length != h0.length))) {
        throw new IllegalArgumentException(
            "batch arrays do not match " + batch + " sequences of " + steps + " steps");
      }
    }
  }

  /** Mean losses of a batch; total = nll + rewardMse + doneBce. */
  public record Losses(double total, double nll, double rewardMse, double doneBce) {}

  private final DjlMdnRnn model;
  private final DjlMdnRnn published;
  private final TrainingStep<Batch> training;
  private final double dropout;
  private boolean updating;

  public MdnRnnTrainer(NDManager manager, DjlMdnRnn model, float learningRate, double maxGradNorm) {
    this(manager, model, learningRate, maxGradNorm, 0);
  }

  /**
   * @param seed seeds the noise that z is drawn with
   */
  public MdnRnnTrainer(
      NDManager manager, DjlMdnRnn model, float learningRate, double maxGradNorm, long seed) {
    this(manager, model, learningRate, maxGradNorm, seed, 0);
  }

  /**
   * @param dropout the share of h's units dropped before the heads in training steps, one mask per
   *     sequence (held-out evaluation never drops)
   */
  public MdnRnnTrainer(
      NDManager manager,
      DjlMdnRnn model,
      float learningRate,
      double maxGradNorm,
      long seed,
      double dropout) {
    this(manager, model, learningRate, maxGradNorm, seed, dropout, 0);
  }

  /**
   * @param averageDecay publish a running average of the weights with this decay per step ({@link
   *     io.worldstream.train.WeightAverage}); 0 publishes the weights as trained
   */
  public MdnRnnTrainer(
      NDManager manager,
      DjlMdnRnn model,
      float learningRate,
      double maxGradNorm,
      long seed,
      double dropout,
      double averageDecay) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must lie in [0, 1), not " + dropout);
    }
    this.model = model;
    this.dropout = dropout;
    this.training =
        new TrainingStep<>(
            manager, model.weights(), this::losses, learningRate, maxGradNorm, seed, averageDecay);
    this.published = averageDecay == 0 ? model : DjlMdnRnn.over(training.published());
  }

  /** The model the gradient steps update. */
  public DjlMdnRnn model() {
    return model;
  }

  /**
   * The model to publish: the running average of the trained weights, or the trained model itself
   * for a trainer that keeps no average.
   */
  public DjlMdnRnn published() {
    return published;
  }

  /**
   * One optimisation step; one whose loss or gradients are not finite updates nothing and counts as
   * {@link #skippedSteps() skipped}.
   */
  public Losses step(Batch batch) {
    updating = true;
    try {
      return read(training.step(batch));
    } finally {
      updating = false;
    }
  }

  /** The losses of the {@link #published} model, without updating (held-out evaluation). */
  public Losses evaluate(Batch batch) {
    return read(training.evaluate(batch));
  }

  /** Gradient steps taken so far. */
  public long steps() {
    return training.steps();
  }

  /** Steps refused since this trainer was built because their loss or gradients were not finite. */
  public long skippedSteps() {
    return training.skippedSteps();
  }

  /** Weights, optimizer and noise position: what a Flink checkpoint keeps. */
  public TrainingStep.State state() {
    return training.state();
  }

  public void restore(TrainingStep.State state) {
    training.restore(state);
  }

  private NDList losses(Batch batch, NDManager step, TrainingStep.Noise noise) {
    int b = batch.batch();
    int t = batch.steps();
    NDArray mu = step.create(batch.mu(), new Shape(b, t + 1, MdnSpec.LATENT));
    NDArray logvar = step.create(batch.logvar(), new Shape(b, t + 1, MdnSpec.LATENT));
    NDArray z = mu.add(logvar.mul(0.5).exp().mul(noise.normal(step, mu.getShape())));
    NDArray headMask =
        updating && dropout > 0
            ? noise.dropoutMask(step, new Shape(b, MdnSpec.HIDDEN), dropout)
            : null;
    Shape state = new Shape(b, MdnSpec.HIDDEN);
    NDArray head =
        (updating ? model : published)
            .sequence(
                z.get(":, 0:" + t + ", :"),
                step.create(batch.actions(), new Shape(b, t, MdnSpec.ACTIONS)),
                batch.h0() == null ? null : step.create(batch.h0(), state),
                batch.c0() == null ? null : step.create(batch.c0(), state),
                headMask);
    return MdnLoss.of(
        head,
        z.get(":, 1:, :"),
        step.create(batch.rewards(), new Shape(b, t)),
        step.create(batch.dones(), new Shape(b, t)),
        step.create(batch.mask(), new Shape(b, t)),
        step.create(batch.latentMask(), new Shape(b, t)));
  }

  private static Losses read(float[] values) {
    return new Losses(values[0], values[1], values[2], values[3]);
  }
}
