package io.worldstream.serving.evaluator;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.VaeEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * The honest measure: a controller driving the real CarRacing, one episode per fixed seed (tracks
 * reserved from workers: the evaluation tracks to measure, the selection tracks to choose), the
 * environments stepping in parallel. Its features are computed as the paper does — z the VAE's μ of
 * each frame, h the MDN-RNN's state after the steps so far — batched over the environments: one
 * encoder call and one MDN-RNN call per time step. The same tracks driven by a parameter-free
 * policy (random, brownian) give the baselines.
 */
public final class RealCheck implements AutoCloseable {

  /**
   * The return of every episode, in seed order.
   *
   * @param perTrack one return per seed
   */
  public record Returns(double[] perTrack) {
    public double mean() {
      return Arrays.stream(perTrack).average().orElseThrow();
    }

    /** The standard deviation over the tracks (population form; 0 for one track). */
    public double sd() {
      double mean = mean();
      return Math.sqrt(
          Arrays.stream(perTrack).map(r -> (r - mean) * (r - mean)).sum() / perTrack.length);
    }

    public int tracks() {
      return perTrack.length;
    }

    /** These returns and then {@code more}'s, as one check over both sets of tracks. */
    public Returns and(Returns more) {
      double[] both = Arrays.copyOf(perTrack, perTrack.length + more.perTrack.length);
      System.arraycopy(more.perTrack, 0, both, perTrack.length, more.perTrack.length);
      return new Returns(both);
    }
  }

  /** Receives every step a check drives, as it is driven. */
  @FunctionalInterface
  public interface Recorder {
    /** Records nothing. */
    Recorder NONE = (episode, t, observation, action, result) -> {};

    /**
     * Step {@code t} of the episode on the {@code episode}-th track of the check: the observation
     * acted on, the action, and what stepping with it returned.
     */
    void step(int episode, int t, Pixels observation, Action action, Step result);
  }

  /** Chooses every running environment's action for one time step. */
  private interface Driver {
    /**
     * @param observations the newest observation of every environment (ended ones included)
     */
    Action[] act(Pixels[] observations);
  }

  private final VaeEncoder encoder;
  private final List<Long> seeds;
  private final ExecutorService pool;

  /**
   * @param encoder the VAE whose latents the controllers read, or null to drive baselines only
   * @param threads environments stepping at once
   */
  public RealCheck(VaeEncoder encoder, List<Long> seeds, int threads) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("a real check needs at least one seed");
    }
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
  public String vaeVersion() {
    return encoder.version();
  }

  public List<Long> seeds() {
    return seeds;
  }

  /**
   * One episode per seed with {@code controller} acting on [z, h], h from {@code rnn}.
   *
   * @throws CancellationException if {@code cancelled} turns true between time steps
   */
  public Returns returns(LinearController controller, MdnRnnStep rnn, BooleanSupplier cancelled)
      throws InterruptedException {
    return returns(controller, rnn, seeds, cancelled);
  }

  /** The same on other tracks than this check's own, one episode per seed of {@code on}. */
  public Returns returns(
      LinearController controller, MdnRnnStep rnn, List<Long> on, BooleanSupplier cancelled)
      throws InterruptedException {
    return returns(controller, rnn, on, cancelled, Recorder.NONE);
  }

  /**
   * The same, each step handed to {@code recorder} as it is driven; a check cancelled between time
   * steps leaves its episodes where they were.
   */
  public Returns returns(
      LinearController controller,
      MdnRnnStep rnn,
      List<Long> on,
      BooleanSupplier cancelled,
      Recorder recorder)
      throws InterruptedException {
    if (encoder == null) {
      throw new IllegalStateException("this real check has no VAE to compute features with");
    }
    int n = on.size();
    float[][] state = {new float[n * MdnSpec.HIDDEN], new float[n * MdnSpec.HIDDEN]};
    float[] features = new float[DreamEnvironment.FEATURES];
    float[] values = new float[n * MdnSpec.ACTIONS];
    Driver driver =
        observations -> {
          List<byte[]> frames = new ArrayList<>(n);
          for (Pixels observation : observations) {
            frames.add(observation.data());
          }
          float[] z = encoder.encodeObservations(frames).mu();
          float[] h = state[0];
          Action[] actions = new Action[n];
          for (int i = 0; i < n; i++) {
            System.arraycopy(z, i * MdnSpec.LATENT, features, 0, MdnSpec.LATENT);
            System.arraycopy(h, i * MdnSpec.HIDDEN, features, MdnSpec.LATENT, MdnSpec.HIDDEN);
            Action.Continuous action = controller.carRacingAction(features);
            for (int a = 0; a < MdnSpec.ACTIONS; a++) {
              values[i * MdnSpec.ACTIONS + a] = (float) action.get(a);
            }
            actions[i] = action;
          }
          MdnRnnStep.Output out = rnn.step(z, values, state[0], state[1], n);
          state[0] = out.h();
          state[1] = out.c();
          return actions;
        };
    return drive(driver, on, cancelled, recorder);
  }

  /**
   * One episode per seed with a parameter-free policy acting on the pixels (a baseline).
   *
   * @param policies the policy of the i-th seed's episode
   */
  public Returns returns(IntFunction<Policy> policies, BooleanSupplier cancelled)
      throws InterruptedException {
    Policy[] acting = new Policy[seeds.size()];
    for (int i = 0; i < acting.length; i++) {
      acting[i] = policies.apply(i);
      acting[i].reset();
    }
    return drive(
        observations -> {
          Action[] actions = new Action[acting.length];
          for (int i = 0; i < acting.length; i++) {
            actions[i] = acting[i].act(observations[i]);
          }
          return actions;
        },
        seeds,
        cancelled,
        Recorder.NONE);
  }

  private Returns drive(Driver driver, List<Long> on, BooleanSupplier cancelled, Recorder recorder)
      throws InterruptedException {
    int n = on.size();
    List<Environment> envs = new ArrayList<>();
    try {
      Pixels[] observations = new Pixels[n];
      for (int i = 0; i < n; i++) {
        Environment env = Environments.make(CarRacing.ID, true, false);
        envs.add(env);
        observations[i] = env.reset(on.get(i)).observation();
      }
      double[] returns = new double[n];
      boolean[] ended = new boolean[n];
      int running = n;
      for (int t = 0; running > 0; t++) {
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("stopped in the middle of a real-environment check");
        }
        Action[] actions = driver.act(observations);
        List<Future<Step>> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          Environment env = envs.get(i);
          Action action = actions[i];
          steps.add(ended[i] ? null : pool.submit(() -> env.step(action)));
        }
        for (int i = 0; i < n; i++) {
          if (steps.get(i) == null) {
            continue;
          }
          Step step = await(steps.get(i));
          recorder.step(i, t, observations[i], actions[i], step);
          returns[i] += step.reward();
          observations[i] = step.observation();
          if (step.done()) {
            ended[i] = true;
            running--;
          }
        }
      }
      return new Returns(returns);
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
