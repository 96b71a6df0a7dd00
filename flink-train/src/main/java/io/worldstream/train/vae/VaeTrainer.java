package io.worldstream.train.vae;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.train.TrainingStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Trains the VAE on observations with the World Models loss: summed squared error per frame plus
 * the KL divergence to N(0, I), the KL floored at 0.5 nat per latent dimension so the latents keep
 * information (Ha & Schmidhuber's kl_tolerance), in a {@link TrainingStep} (Adam, global-norm
 * clipping, flat memory). A share of the episodes (not of the frames: neighbouring frames are
 * nearly equal) is held out to measure reconstruction on unseen play.
 */
public final class VaeTrainer {

  /** KL floor per latent dimension, in nats. */
  public static final double KL_TOLERANCE = 0.5;

  /**
   * @param heldOutFraction share of episodes kept out of training
   */
  public record Options(
      int epochs,
      int batchSize,
      float learningRate,
      double maxGradNorm,
      double heldOutFraction,
      int seed) {
    public static Options defaults() {
      return new Options(10, 32, 1e-3f, 100, 0.1, 0);
    }
  }

  /** Observations (96×96×3 bytes, HWC) and the episode each came from. */
  public record Frames(List<String> episodes, List<byte[]> observations) {
    public Frames {
      if (episodes.size() != observations.size()) {
        throw new IllegalArgumentException("one episode id per observation");
      }
    }

    public int size() {
      return observations.size();
    }
  }

  /** One epoch: mean training loss, held-out MSE per pixel (values in [0, 1]), speed. */
  public record EpochReport(
      int epoch,
      double trainLoss,
      double heldOutMsePerPixel,
      double framesPerSecond,
      Duration elapsed) {}

  public record Report(
      List<EpochReport> epochs,
      int trainFrames,
      int heldOutFrames,
      int heldOutEpisodes,
      List<Integer> heldOutIndices,
      Duration wall) {
    public double heldOutMsePerPixel() {
      return epochs.get(epochs.size() - 1).heldOutMsePerPixel();
    }
  }

  private final NDManager manager;
  private final DjlVae vae;
  private final FramePreprocessor preprocessor = FramePreprocessor.carRacing();

  public VaeTrainer(NDManager manager, DjlVae vae) {
    this.manager = manager;
    this.vae = vae;
  }

  public Report train(Frames frames, Options options, Consumer<String> progress) {
    Engine.getInstance().setRandomSeed(options.seed());
    Random random = new Random(options.seed());
    List<Integer> train = new ArrayList<>();
    List<Integer> heldOut = new ArrayList<>();
    Set<String> heldOutEpisodes = heldOutEpisodes(frames, options.heldOutFraction(), random);
    for (int i = 0; i < frames.size(); i++) {
      (heldOutEpisodes.contains(frames.episodes().get(i)) ? heldOut : train).add(i);
    }
    progress.accept(
        String.format(
            "VAE: %d training frames, %d held out (%d episodes); %d epochs of batch %d",
            train.size(),
            heldOut.size(),
            heldOutEpisodes.size(),
            options.epochs(),
            options.batchSize()));
    TrainingStep<float[]> training =
        trainingStep(options.learningRate(), options.maxGradNorm(), options.seed());
    List<EpochReport> reports = new ArrayList<>();
    long started = System.nanoTime();
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      Collections.shuffle(train, random);
      long epochStart = System.nanoTime();
      long lastReport = epochStart;
      double lossSum = 0;
      int batches = 0;
      for (int from = 0; from + options.batchSize() <= train.size(); from += options.batchSize()) {
        lossSum += step(training, frames, train.subList(from, from + options.batchSize()));
        batches++;
        if (System.nanoTime() - lastReport > 10e9) {
          lastReport = System.nanoTime();
          double seconds = (lastReport - epochStart) / 1e9;
          progress.accept(
              String.format(
                  "VAE epoch %d: %d/%d frames, loss %.1f, %.0f frames/s",
                  epoch,
                  from + options.batchSize(),
                  train.size(),
                  lossSum / batches,
                  batches * options.batchSize() / seconds));
        }
      }
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      double mse = heldOut.isEmpty() ? Double.NaN : reconstructionMse(frames, heldOut);
      EpochReport report =
          new EpochReport(
              epoch,
              lossSum / Math.max(1, batches),
              mse,
              batches * options.batchSize() / seconds,
              Duration.ofNanos(System.nanoTime() - started));
      reports.add(report);
      progress.accept(
          String.format(
              "VAE epoch %d/%d: train loss %.1f, held-out MSE per pixel %.5f, %.0f frames/s",
              epoch, options.epochs(), report.trainLoss(), mse, report.framesPerSecond()));
    }
    return new Report(
        reports,
        train.size(),
        heldOut.size(),
        heldOutEpisodes.size(),
        heldOut,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The VAE's training step: Adam at {@code learningRate}, gradients clipped to {@code
   * maxGradNorm}.
   */
  public TrainingStep<float[]> trainingStep(float learningRate, double maxGradNorm, long seed) {
    return new TrainingStep<>(
        manager, vae.weights(), this::losses, learningRate, maxGradNorm, seed);
  }

  /** One optimisation step on the frames at {@code batch}; returns its loss. */
  public double step(TrainingStep<float[]> training, Frames frames, List<Integer> batch) {
    return training.step(preprocess(frames, batch))[0];
  }

  /** The loss of preprocessed frames ([B, 3, 64, 64] flattened). */
  private NDList losses(float[] pixels, NDManager step, TrainingStep.Noise noise) {
    int b = pixels.length / VaeSpec.PIXELS;
    NDArray x = step.create(pixels, new Shape(b, 3, VaeSpec.IMAGE, VaeSpec.IMAGE));
    return new NDList(loss(x, step, noise));
  }

  /** Σ (x̂ − x)² per frame + max(mean KL, 0.5 · 32), averaged over the batch. */
  NDArray loss(NDArray x, NDManager step, TrainingStep.Noise noise) {
    NDList latent = vae.encode(x);
    NDArray mu = latent.get(0);
    NDArray logvar = latent.get(1);
    NDArray eps = noise.normal(step, mu.getShape());
    NDArray z = mu.add(logvar.mul(0.5).exp().mul(eps));
    NDArray reconstruction = vae.decode(z);
    NDArray squared = reconstruction.sub(x).square().sum(new int[] {1, 2, 3}).mean();
    NDArray kl = klDivergence(mu, logvar).mean();
    return squared.add(kl.maximum((float) (KL_TOLERANCE * VaeSpec.LATENT)));
  }

  /**
   * KL(N(μ, σ²) ‖ N(0, I)) per frame, in nats: −½ Σ_d (1 + log σ²_d − μ²_d − σ²_d) (Kingma and
   * Welling 2014, appendix B). mu, logvar [B, 32] → [B].
   */
  static NDArray klDivergence(NDArray mu, NDArray logvar) {
    return logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum(new int[] {1}).mul(-0.5);
  }

  /** Mean squared error per pixel of reconstructions from μ (no sampling), values in [0, 1]. */
  public double reconstructionMse(Frames frames, List<Integer> indices) {
    double sum = 0;
    for (int from = 0; from < indices.size(); from += 256) {
      List<Integer> batch = indices.subList(from, Math.min(indices.size(), from + 256));
      try (NDScope scope = new NDScope();
          NDManager step = manager.newSubManager()) {
        NDArray x =
            step.create(
                preprocess(frames, batch),
                new Shape(batch.size(), 3, VaeSpec.IMAGE, VaeSpec.IMAGE));
        NDArray reconstruction = vae.decode(vae.encode(x).get(0));
        sum += reconstruction.sub(x).square().sum().getFloat();
      }
    }
    return sum / ((double) indices.size() * VaeSpec.PIXELS);
  }

  private float[] preprocess(Frames frames, List<Integer> batch) {
    float[] out = new float[batch.size() * VaeSpec.PIXELS];
    for (int i = 0; i < batch.size(); i++) {
      preprocessor.preprocess(frames.observations().get(batch.get(i)), out, i * VaeSpec.PIXELS);
    }
    return out;
  }

  private static Set<String> heldOutEpisodes(Frames frames, double fraction, Random random) {
    List<String> episodes = new ArrayList<>(new LinkedHashSet<>(frames.episodes()));
    Collections.shuffle(episodes, random);
    int count = (int) Math.round(episodes.size() * fraction);
    if (fraction > 0 && count == 0 && episodes.size() > 1) {
      count = 1;
    }
    return new LinkedHashSet<>(episodes.subList(0, count));
  }
}
