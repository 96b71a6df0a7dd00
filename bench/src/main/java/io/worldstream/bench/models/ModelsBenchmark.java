package io.worldstream.bench.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.bench.DreamStarts;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Rates;
import io.worldstream.models.Tensor;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import io.worldstream.train.vae.DjlVae;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * VAE encoding at batch 1, 32 and 256 (baseline: batch 1); dream steps at 1024 dreams against 1;
 * the MDN-RNN training step at 16 sequences × 32 steps against its forward pass alone. Speed
 * depends on the architecture, not on the weights' values, so freshly initialised models are used.
 */
public final class ModelsBenchmark {

  /**
   * @param ortThreads ONNX Runtime intra-op threads
   * @param seconds measuring time per figure
   */
  public record Settings(int ortThreads, double seconds) {
    public Settings {
      InvalidSettingException.atLeast("ort-threads", "ONNX Runtime threads", ortThreads, 1);
      if (!(seconds > 0)) {
        throw new InvalidSettingException(
            "seconds", "the time per figure must be positive, not " + seconds);
      }
    }
  }

  private final Settings settings;
  private final PrintWriter out;
  private final Figures figures = new Figures();

  public ModelsBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public Figures run() {
    out.printf(
        "Models benchmark: %d ONNX Runtime threads, %d cores, %.0f s per figure%n",
        settings.ortThreads(), Runtime.getRuntime().availableProcessors(), settings.seconds());
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      vaeEncode(DjlVae.initialise(manager).weights().export());
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      dream(rnn.weights().export());
      training(manager, rnn);
    }
    figures.print(out);
    return figures;
  }

  private void vaeEncode(Map<String, Tensor> weights) {
    try (VaeEncoder encoder =
        VaeEncoder.load(VaeGraphs.encoder(weights, "bench"), settings.ortThreads())) {
      out.println("VAE encode (ONNX Runtime, " + encoder.model().device() + "):");
      double single = 0;
      for (int batch : new int[] {1, 32, 256}) {
        float[] frames = new float[batch * VaeSpec.PIXELS];
        Arrays.fill(frames, 0.4f);
        double median = median(() -> encoder.encode(frames, batch));
        double rate = batch / median * 1e3;
        out.printf(
            "  batch %4d: %8.0f frames/s  (median %.2f ms per batch)%n", batch, rate, median);
        out.flush();
        if (batch == 1) {
          single = rate;
          figures.add("models.vae-encode-b1", rate, "frames/s");
        } else {
          figures.add("models.vae-encode-b" + batch, rate, "frames/s", "batch-1", single);
        }
      }
    }
  }

  private void dream(Map<String, Tensor> weights) {
    try (MdnRnnStep step =
        MdnRnnStep.load(MdnGraphs.step(weights, "bench"), settings.ortThreads())) {
      LatentPool pool = DreamStarts.gaussian();
      out.println("Dream (MDN-RNN step in ONNX Runtime + sampling at τ = 1.15):");
      double single = 0;
      for (int n : new int[] {1, 1024}) {
        DreamEnvironment dream = new DreamEnvironment(step, pool, n, 1.15, 0.5, 7);
        dream.reset();
        float[] actions = new float[n * MdnSpec.ACTIONS];
        Arrays.fill(actions, 0.3f);
        double median = median(() -> dream.step(actions));
        double rate = n / median * 1e3;
        out.printf(
            "  %4d dreams: %9.0f dream steps/s  (median %.2f ms per batched step)%n",
            n, rate, median);
        out.flush();
        if (n == 1) {
          single = rate;
        } else {
          figures.add("models.dream-" + n, rate, "dream-steps/s", "1-dream", single);
        }
      }
    }
  }

  private void training(NDManager manager, DjlMdnRnn rnn) {
    MdnRnnTrainer trainer = new MdnRnnTrainer(manager, rnn, 1e-3f, 1.0);
    int b = 16;
    int t = 32;
    Random random = new Random(3);
    float[] mu = new float[b * (t + 1) * MdnSpec.LATENT];
    float[] logvar = new float[mu.length];
    float[] actions = new float[b * t * MdnSpec.ACTIONS];
    for (int i = 0; i < mu.length; i++) {
      mu[i] = (float) random.nextGaussian();
      logvar[i] = -2;
    }
    for (int i = 0; i < actions.length; i++) {
      actions[i] = (float) random.nextGaussian() * 0.5f;
    }
    float[] mask = new float[b * t];
    Arrays.fill(mask, 1);
    MdnRnnTrainer.Batch batch =
        new MdnRnnTrainer.Batch(
            b, t, mu, logvar, actions, new float[b * t], new float[b * t], mask);
    out.println("MDN-RNN training step (DJL, PyTorch engine, CPU):");
    double step = median(() -> trainer.step(batch));
    double forward = median(() -> trainer.evaluate(batch));
    out.printf(
        "  16 × 32: median %.1f ms per step (%.0f sequence-steps/s); forward pass alone %.1f ms%n",
        step, b * t / step * 1e3, forward);
    out.flush();
    figures.add("models.mdn-train-step-16x32", step, "ms", "forward-only", forward);
  }

  private double median(Runnable call) {
    Duration measure = Duration.ofNanos((long) (settings.seconds() * 1e9));
    Duration warmup = Duration.ofNanos((long) (Math.min(2, settings.seconds() / 2) * 1e9));
    return Rates.medianMillis(call, warmup, measure);
  }
}
