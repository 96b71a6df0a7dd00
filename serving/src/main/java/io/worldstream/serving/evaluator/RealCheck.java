package io.worldstream.serving.evaluator;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.VaeEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * The honest measure: a controller driving the real CarRacing, one episode per fixed seed, the
 * environments stepping in parallel. Its features are computed as the paper does — z the VAE's μ of
 * each frame, h the MDN-RNN's state after the steps so far — batched over the environments: one
 * encoder call and one MDN-RNN call per time step.
 */
final class RealCheck implements AutoCloseable {

  private final VaeEncoder encoder;
  private final List<Long> seeds;
  private final ExecutorService pool;

  RealCheck(VaeEncoder encoder, List<Long> seeds, int threads) {
    this.encoder = encoder;
    this.seeds = List.copyOf(seeds);
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(threads, seeds.size())),
            r -> {
              Thread thread = new Thread(r, "real-check");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The VAE version whose latents this check computes; a checkpoint must share it. */
  String vaeVersion() {
    return encoder.version();
  }

  /**
   * The returns of one episode per seed.
   *
   * @throws CancellationException if {@code cancelled} turns true between time steps
   */
  double[] returns(LinearController controller, MdnRnnStep rnn, BooleanSupplier cancelled)
      throws InterruptedException {
    int n = seeds.size();
    List<Environment> envs = new ArrayList<>();
    try {
      byte[][] observations = new byte[n][];
      for (int i = 0; i < n; i++) {
        Environment env = Environments.make(CarRacing.ID, true, false);
        envs.add(env);
        observations[i] = env.reset(seeds.get(i)).observation().data();
      }
      double[] returns = new double[n];
      boolean[] ended = new boolean[n];
      float[] h = new float[n * MdnSpec.HIDDEN];
      float[] c = new float[n * MdnSpec.HIDDEN];
      float[] features = new float[DreamEnvironment.FEATURES];
      float[] actions = new float[n * MdnSpec.ACTIONS];
      int running = n;
      while (running > 0) {
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("stopped in the middle of a real-environment check");
        }
        float[] z = encoder.encodeObservations(List.of(observations)).mu();
        List<Future<Step>> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          System.arraycopy(z, i * MdnSpec.LATENT, features, 0, MdnSpec.LATENT);
          System.arraycopy(h, i * MdnSpec.HIDDEN, features, MdnSpec.LATENT, MdnSpec.HIDDEN);
          Action.Continuous action = controller.carRacingAction(features);
          for (int a = 0; a < MdnSpec.ACTIONS; a++) {
            actions[i * MdnSpec.ACTIONS + a] = (float) action.get(a);
          }
          Environment env = envs.get(i);
          steps.add(ended[i] ? null : pool.submit(() -> env.step(action)));
        }
        for (int i = 0; i < n; i++) {
          if (steps.get(i) == null) {
            continue;
          }
          Step step = await(steps.get(i));
          returns[i] += step.reward();
          observations[i] = step.observation().data();
          if (step.done()) {
            ended[i] = true;
            running--;
          }
        }
        MdnRnnStep.Output out = rnn.step(z, actions, h, c, n);
        h = out.h();
        c = out.c();
      }
      return returns;
    } finally {
      envs.forEach(Environment::close);
    }
  }

  private static Step await(Future<Step> step) throws InterruptedException {
    try {
      return step.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
