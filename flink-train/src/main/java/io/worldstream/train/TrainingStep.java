package io.worldstream.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.worldstream.models.Tensor;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training step every model here takes: zero the gradients, compute the losses, back-propagate
 * the first, clip all gradients to a global norm, and let {@link Adam} update the weights. Each
 * step runs in its own sub-manager and scope, so memory stays flat over any number of steps.
 *
 * <p>A trainer may also keep a {@link WeightAverage} of the weights, the model it {@link #published
 * publishes}.
 *
 * <p>A step whose loss or gradient norm is not finite (NaN or infinite) updates nothing: the
 * weights, Adam's moments and the average stay as they were, and the step is counted as {@link
 * #skippedSteps() skipped}. One overflow in a long run must not turn every weight into NaN.
 *
 * <p>The state that a later step depends on — weights, Adam's moments and step count, where the
 * noise stream stands and the average — is {@link #state()}: a trainer restored from it continues
 * exactly as the one it was taken from. Noise (the VAE's and the MDN-RNN's z ~ N(μ, σ²)) is drawn
 * from a stream seeded by the seed and the step number, not from the engine's global generator.
 *
 * @param <B> a batch
 */
public final class TrainingStep<B> {

  /** The model's losses on a batch; the first is the one minimised. */
  @FunctionalInterface
  public interface Objective<B> {
    NDList losses(B batch, NDManager step, Noise noise);
  }

  /** Random draws for one step, reproducible from the seed and the step number. */
  public static final class Noise {
    private final SplittableRandom random;

    private Noise(SplittableRandom random) {
      this.random = random;
    }

    /** The stream for step {@code step}: the same draws for the same (seed, step). */
    static Noise of(long seed, long step) {
      return new Noise(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step));
    }

    /** An array of independent N(0, 1) draws. */
    public NDArray normal(NDManager manager, Shape shape) {
      float[] values = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      return manager.create(values, shape);
    }

    /**
     * An inverted-dropout mask: each entry 0 with probability {@code p}, else 1 / (1 − p), so the
     * masked values keep their expectation.
     */
    public NDArray dropoutMask(NDManager manager, Shape shape, double p) {
      float kept = (float) (1 / (1 - p));
      float[] values = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextDouble() < p ? 0f : kept;
      }
      return manager.create(values, shape);
    }
  }

  /**
   * Everything a trainer carries from one step to the next.
   *
   * @param weights the model's weights by name
   * @param optimizer Adam's step count and moments
   * @param seed the noise stream's seed
   * @param average the running average of the weights, by name (empty for a trainer that keeps
   *     none)
   */
  public record State(
      Map<String, Tensor> weights, Adam.State optimizer, long seed, Map<String, Tensor> average) {
    public State {
      weights = Map.copyOf(weights);
      average = Map.copyOf(average);
    }

    /** The state of a trainer that keeps no average. */
    public State(Map<String, Tensor> weights, Adam.State optimizer, long seed) {
      this(weights, optimizer, seed, Map.of());
    }
  }

  private final NDManager manager;
  private final Weights weights;
  private final Objective<B> objective;
  private final Adam adam;
  private final double maxGradNorm;
  private final WeightAverage average;
  private long seed;
  private long skipped;

  public TrainingStep(
      NDManager manager,
      Weights weights,
      Objective<B> objective,
      float learningRate,
      double maxGradNorm,
      long seed) {
    this(manager, weights, objective, learningRate, maxGradNorm, seed, 0);
  }

  /**
   * @param averageDecay keep a {@link WeightAverage} of the weights with this decay; 0 keeps none
   */
  public TrainingStep(
      NDManager manager,
      Weights weights,
      Objective<B> objective,
      float learningRate,
      double maxGradNorm,
      long seed,
      double averageDecay) {
    this.manager = manager;
    this.weights = weights;
    this.objective = objective;
    this.adam = new Adam(manager, learningRate);
    this.maxGradNorm = maxGradNorm;
    this.seed = seed;
    this.average = averageDecay == 0 ? null : new WeightAverage(manager, weights, averageDecay);
  }

  /**
   * One optimisation step; returns the losses as computed before the update. Gradients are recorded
   * inside the collector only (see {@link GradientRecording}). Where the first loss or the
   * gradients' norm is not finite, nothing is updated (see {@link #skippedSteps()}); the losses
   * returned then say so.
   */
  public float[] step(B batch) {
    return GradientRecording.off(() -> stepOnce(batch));
  }

  private float[] stepOnce(B batch) {
    float[] losses;
    double norm;
    try (NDScope scope = new NDScope();
        NDManager step = manager.newSubManager()) {
      weights.zeroGradients();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList values = objective.losses(batch, step, Noise.of(seed, adam.step()));
        collector.backward(values.get(0));
        losses = read(values);
      }
      norm = GradientClipping.clipGlobalNorm(weights.all().values(), maxGradNorm);
    }
    if (!Float.isFinite(losses[0]) || !Double.isFinite(norm)) {
      weights.zeroGradients();
      skipped++;
      return losses;
    }
    // Outside the scope: Adam keeps its moment estimates between steps.
    adam.update(weights);
    if (average != null) {
      average.update(weights, adam.step());
    }
    return losses;
  }

  /**
   * The losses without updating (held-out evaluation), with noise that does not move the stream.
   */
  public float[] evaluate(B batch) {
    return GradientRecording.off(
        () -> {
          try (NDScope scope = new NDScope();
              NDManager step = manager.newSubManager()) {
            return read(objective.losses(batch, step, Noise.of(~seed, adam.step())));
          }
        });
  }

  /** Updates made so far. */
  public long steps() {
    return adam.step();
  }

  /**
   * Steps this trainer refused since it was built because their loss or gradients were not finite
   * (not part of {@link #state()}: a count for logs and metrics).
   */
  public long skippedSteps() {
    return skipped;
  }

  /**
   * The weights a trained model is published with: their running average where this trainer keeps
   * one, else the weights themselves. Either changes in place with every step.
   */
  public Weights published() {
    return average == null ? weights : average.weights();
  }

  public State state() {
    return new State(
        weights.export(), adam.export(), seed, average == null ? Map.of() : average.export());
  }

  /**
   * Continues from {@code state}: the next step is the one that would have followed it. A trainer
   * that keeps an average and restores a state without one starts the average from its weights.
   */
  public void restore(State state) {
    weights.restore(state.weights());
    adam.restore(state.optimizer());
    seed = state.seed();
    if (average != null) {
      average.restore(state.average().isEmpty() ? state.weights() : state.average());
    }
  }

  private static float[] read(NDList values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).getFloat();
    }
    return out;
  }
}
