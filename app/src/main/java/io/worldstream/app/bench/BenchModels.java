package io.worldstream.app.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.app.CommandFailure;
import io.worldstream.app.Worldstream;
import io.worldstream.models.Tensor;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import io.worldstream.train.vae.DjlVae;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Measures VAE encoding, dreaming and MDN-RNN training speed.",
      "VAE encode frames/s at batch 1, 32 and 256; dream steps/s at 1024 dreams against 1;",
      "the MDN-RNN training step at 16 sequences × 32 steps. Speed depends on the architecture,",
      "not on the weights' values, so freshly initialised models are used."
    })
public final class BenchModels implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() {
    if (threads < 1 || seconds <= 0) {
      throw new CommandFailure("--threads and --seconds must be positive", Worldstream.USAGE, null);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Models benchmark: %d ONNX Runtime threads, %d cores, %.0f s per figure%n",
        threads, Runtime.getRuntime().availableProcessors(), seconds);
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      vaeEncode(out, DjlVae.initialise(manager).weights().export());
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      dream(out, rnn.weights().export());
      training(out, manager, rnn);
    }
    return 0;
  }

  private void vaeEncode(PrintWriter out, Map<String, Tensor> weights) {
    try (VaeEncoder encoder = VaeEncoder.load(VaeGraphs.encoder(weights, "bench"), threads)) {
      out.println("VAE encode (ONNX Runtime, " + encoder.model().device() + "):");
      for (int batch : new int[] {1, 32, 256}) {
        float[] frames = new float[batch * VaeSpec.PIXELS];
        Arrays.fill(frames, 0.4f);
        double[] result = measure(() -> encoder.encode(frames, batch));
        out.printf(
            "  batch %4d: %8.0f frames/s  (median %.2f ms per batch)%n",
            batch, batch / result[1] * 1e3, result[1]);
        out.flush();
      }
    }
  }

  private void dream(PrintWriter out, Map<String, Tensor> weights) {
    try (MdnRnnStep step = MdnRnnStep.load(MdnGraphs.step(weights, "bench"), threads)) {
      Random random = new Random(1);
      List<float[]> mu = new ArrayList<>();
      List<float[]> logvar = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        float[] m = new float[MdnSpec.LATENT];
        float[] lv = new float[MdnSpec.LATENT];
        for (int d = 0; d < MdnSpec.LATENT; d++) {
          m[d] = (float) random.nextGaussian();
          lv[d] = -2;
        }
        mu.add(m);
        logvar.add(lv);
      }
      LatentPool pool = new LatentPool(mu, logvar);
      out.println("Dream (MDN-RNN step in ONNX Runtime + sampling at τ = 1.15):");
      for (int n : new int[] {1, 1024}) {
        DreamEnvironment dream = new DreamEnvironment(step, pool, n, 1.15, 0.5, 7);
        dream.reset();
        float[] actions = new float[n * MdnSpec.ACTIONS];
        Arrays.fill(actions, 0.3f);
        double[] result = measure(() -> dream.step(actions));
        out.printf(
            "  %4d dreams: %9.0f dream steps/s  (median %.2f ms per batched step)%n",
            n, n / result[1] * 1e3, result[1]);
        out.flush();
      }
    }
  }

  private void training(PrintWriter out, NDManager manager, DjlMdnRnn rnn) {
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
    double[] result = measure(() -> trainer.step(batch));
    out.printf(
        "  16 × 32: median %.1f ms per step (%.0f sequence-steps/s); evaluation only: ",
        result[1], b * t / result[1] * 1e3);
    double[] eval = measure(() -> trainer.evaluate(batch));
    out.printf("%.1f ms%n", eval[1]);
    out.flush();
  }

  /** Warms up, then times calls for the configured seconds; returns {calls, median ms}. */
  private double[] measure(Runnable call) {
    long warmupEnd = System.nanoTime() + (long) (Math.min(2, seconds / 2) * 1e9);
    while (System.nanoTime() < warmupEnd) {
      call.run();
    }
    List<Double> millis = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end || millis.size() < 5) {
      long start = System.nanoTime();
      call.run();
      millis.add((System.nanoTime() - start) / 1e6);
    }
    millis.sort(Double::compare);
    return new double[] {millis.size(), millis.get(millis.size() / 2)};
  }
}
