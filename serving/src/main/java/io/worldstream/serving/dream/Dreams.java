package io.worldstream.serving.dream;

import io.worldstream.envs.Action;
import io.worldstream.envs.policy.Policy;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.serving.evaluator.Controllers;
import io.worldstream.serving.evaluator.DreamStarts;
import io.worldstream.serving.registry.CheckpointEntry;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs on-demand dreams: a checkpoint of the registry, a controller, rollouts stepping together
 * from real episode starts, and, when asked, the first rollouts decoded into pictures by the VAE.
 * The same request with the same seed gives the same answer.
 */
public final class Dreams {

  /** Pictures of the first rollouts: GIF (side by side, one frame per step) and PNG strip. */
  public record Frames(int rollouts, int steps, byte[] gif, byte[] png) {}

  /**
   * @param returns each rollout's predicted return; {@code lengths} its steps until done or the
   *     horizon
   */
  public record Result(
      CheckpointEntry checkpoint,
      String controller,
      Optional<Long> controllerVersion,
      double[] returns,
      int[] lengths,
      long dreamSteps,
      long wallMillis,
      Optional<Frames> frames) {}

  private final ServedModels models;
  private final DreamStarts starts;

  public Dreams(ServedModels models, DreamStarts starts) {
    this.models = models;
    this.starts = starts;
  }

  /**
   * @throws Refused when the checkpoint, its episode starts or the controller are not there, or too
   *     much runs at once
   */
  public Result run(DreamRequest request) {
    return models.run(
        "too many dreams running at once; try again in a moment", () -> dream(request));
  }

  private Result dream(DreamRequest request) {
    long started = System.nanoTime();
    CheckpointEntry checkpoint = models.checkpoint(request.lineage(), request.version());
    LatentPool pool =
        starts
            .starts(checkpoint.vaeVersion())
            .orElseThrow(
                () ->
                    new Refused(
                        Refused.Kind.CONFLICT,
                        "no episode starts encoded by VAE "
                            + ModelVersion.shortForm(checkpoint.vaeVersion())
                            + " on wm.latents yet, to start dreams from"));
    Driver driver =
        Driver.of(request.controller(), request.parameters(), models.registry(), checkpoint);
    try (LeasedModels<MdnRnnStep>.Lease lease = models.model(checkpoint)) {
      return dream(request, checkpoint, pool, driver, lease.model(), started);
    }
  }

  private Result dream(
      DreamRequest request,
      CheckpointEntry checkpoint,
      LatentPool starts,
      Driver driver,
      MdnRnnStep model,
      long started) {
    int n = request.rollouts();
    int pictured = request.frames() ? Math.min(DreamRequest.FRAME_ROLLOUTS, n) : 0;
    if (pictured > 0) {
      models.checkDecodable(checkpoint);
    }
    float[] parameters = driver.parameters();
    Policy[] policies = new Policy[n];
    for (int d = 0; d < n && parameters == null; d++) {
      policies[d] = driver.policy(request.seed() * 1_000_003L + d);
    }
    DreamEnvironment dreams =
        new DreamEnvironment(model, starts, n, request.temperature(), 0.5, request.seed());
    float[] features = dreams.reset();
    float[][] latents = new float[pictured][(request.horizon() + 1) * MdnSpec.LATENT];
    keep(latents, features, 0);
    double[] returns = new double[n];
    int[] lengths = new int[n];
    boolean[] ended = new boolean[n];
    float[] actions = new float[n * MdnSpec.ACTIONS];
    long steps = 0;
    int running = n;
    int t = 0;
    // Pictures show every step of the horizon; without them, stop once every dream has ended.
    for (; t < request.horizon() && (running > 0 || pictured > 0); t++) {
      if (parameters != null) {
        Controllers.act(new float[][] {parameters}, n, features, actions);
      } else {
        for (int d = 0; d < n; d++) {
          Action.Continuous a = (Action.Continuous) policies[d].act(null);
          for (int i = 0; i < MdnSpec.ACTIONS; i++) {
            actions[d * MdnSpec.ACTIONS + i] = (float) a.get(i);
          }
        }
      }
      DreamEnvironment.Step step = dreams.step(actions);
      features = step.features();
      keep(latents, features, t + 1);
      for (int d = 0; d < n; d++) {
        if (!ended[d]) {
          returns[d] += step.rewards()[d];
          lengths[d]++;
          steps++;
          ended[d] = step.done()[d];
          if (ended[d]) {
            running--;
          }
        }
      }
    }
    Optional<Frames> frames = Optional.empty();
    if (pictured > 0) {
      frames = Optional.of(pictures(checkpoint, latents, t + 1));
    }
    return new Result(
        checkpoint,
        driver.label(),
        driver.controllerVersion(),
        returns,
        lengths,
        steps,
        (System.nanoTime() - started) / 1_000_000,
        frames);
  }

  private static void keep(float[][] latents, float[] features, int t) {
    for (int d = 0; d < latents.length; d++) {
      System.arraycopy(
          features, d * DreamEnvironment.FEATURES, latents[d], t * MdnSpec.LATENT, MdnSpec.LATENT);
    }
  }

  private Frames pictures(CheckpointEntry checkpoint, float[][] latents, int steps) {
    int rollouts = latents.length;
    float[][][] frames = new float[rollouts][steps][];
    int pixels = 3 * 64 * 64;
    for (int r = 0; r < rollouts; r++) {
      float[] decoded =
          models.decode(checkpoint, Arrays.copyOf(latents[r], steps * MdnSpec.LATENT), steps);
      for (int t = 0; t < steps; t++) {
        frames[r][t] = Arrays.copyOfRange(decoded, t * pixels, (t + 1) * pixels);
      }
    }
    return new Frames(rollouts, steps, DreamPictures.gif(frames, 40), DreamPictures.strip(frames));
  }
}
