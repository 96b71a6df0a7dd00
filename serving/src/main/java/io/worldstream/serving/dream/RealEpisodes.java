package io.worldstream.serving.dream;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.TimeLimit;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.carracing.EpisodePicture;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.serving.registry.CheckpointEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Real CarRacing episodes on demand, driven by a checkpoint's controller (its features [z, h] from
 * the VAE and the checkpoint's MDN-RNN, as the workers compute them) or by random or brownian
 * driving, pictured every few steps and as the track from above with the car's path, so a reader
 * sees where on the track a controller leaves the road. The same request gives the same episode.
 */
public final class RealEpisodes {

  /**
   * @param tilesVisited the track's tiles the car touched
   * @param tiles the track's tiles in all
   * @param frames an animated GIF of every {@code every}-th observation
   * @param track a PNG of the track from above with the car's path, green at the start, red at the
   *     end
   */
  public record Episode(
      CheckpointEntry checkpoint,
      String controller,
      Optional<Long> controllerVersion,
      double totalReward,
      int steps,
      boolean terminated,
      int tilesVisited,
      int tiles,
      long wallMillis,
      byte[] frames,
      byte[] track) {}

  private final ServedModels models;

  public RealEpisodes(ServedModels models) {
    this.models = models;
  }

  /**
   * @throws Refused when the checkpoint or controller is not there, or too much runs at once
   */
  public Episode run(EpisodeRequest request) {
    return models.run(
        "too many dreams and episodes running at once; try again in a moment",
        () -> drive(request));
  }

  private Episode drive(EpisodeRequest request) {
    long started = System.nanoTime();
    CheckpointEntry checkpoint = models.checkpoint(request.lineage(), request.version());
    Driver driver =
        Driver.of(request.controller(), request.parameters(), models.registry(), checkpoint);
    if (driver.parameters() == null) {
      return drive(request, checkpoint, driver, null, started);
    }
    VaeEncoder vae = models.encoder(checkpoint);
    try (LeasedModels<MdnRnnStep>.Lease lease = models.model(checkpoint)) {
      return drive(request, checkpoint, driver, new Features(vae, lease.model()), started);
    }
  }

  /** The controller's view of an episode: z from the VAE, h carried by the MDN-RNN. */
  private static final class Features {
    private final VaeEncoder vae;
    private final MdnRnnStep model;
    private final float[] features = new float[DreamEnvironment.FEATURES];
    private float[] h = new float[MdnSpec.HIDDEN];
    private float[] c = new float[MdnSpec.HIDDEN];

    Features(VaeEncoder vae, MdnRnnStep model) {
      this.vae = vae;
      this.model = model;
    }

    /** The controller's action on this observation; h then advances on (z, action). */
    Action act(LinearController controller, Pixels observation) {
      float[] z = vae.encodeObservations(List.of(observation.data())).mu();
      System.arraycopy(z, 0, features, 0, MdnSpec.LATENT);
      System.arraycopy(h, 0, features, MdnSpec.LATENT, MdnSpec.HIDDEN);
      Action.Continuous a = controller.carRacingAction(features);
      float[] values = {(float) a.get(0), (float) a.get(1), (float) a.get(2)};
      MdnRnnStep.Output out = model.step(z, values, h, c, 1);
      h = out.h();
      c = out.c();
      return a;
    }
  }

  /** Drives the episode with the driver's controller on {@code features}, or else its policy. */
  private static Episode drive(
      EpisodeRequest request,
      CheckpointEntry checkpoint,
      Driver driver,
      Features features,
      long started) {
    LinearController controller = null;
    Policy policy = null;
    if (features != null) {
      controller = driver.linear();
    } else {
      policy = driver.policy(request.seed());
    }
    List<Pixels> frames = new ArrayList<>();
    double total = 0;
    int steps = 0;
    boolean terminated = false;
    int tilesVisited;
    int tiles;
    CarRacing car = new CarRacing(CarRacing.Options.defaults());
    List<double[]> path = new ArrayList<>();
    try (Environment env = new TimeLimit(car, CarRacing.MAX_EPISODE_STEPS)) {
      Pixels observation = env.reset(request.seed()).observation();
      for (int t = 0; t < request.steps(); t++) {
        if (t % request.every() == 0) {
          frames.add(observation);
        }
        Action action =
            controller != null ? features.act(controller, observation) : policy.act(observation);
        Step step = env.step(action);
        total += step.reward();
        steps++;
        observation = step.observation();
        CarRacing.CarState state = car.carState();
        path.add(new double[] {state.x(), state.y()});
        if (step.done()) {
          terminated = step.terminated();
          frames.add(observation);
          break;
        }
      }
      tilesVisited = car.carState().tilesVisited();
      tiles = car.track().size();
    }
    EpisodePicture picture =
        new EpisodePicture(
            car.track(),
            String.format(
                Locale.ROOT,
                "track %d, %s%s: %d steps, return %.1f, %d of %d tiles",
                request.seed(),
                driver.label(),
                driver.controllerVersion().map(v -> " v" + v).orElse(""),
                steps,
                total,
                tilesVisited,
                tiles));
    path.forEach(p -> picture.addPosition(p[0], p[1]));
    return new Episode(
        checkpoint,
        driver.label(),
        driver.controllerVersion(),
        total,
        steps,
        terminated,
        tilesVisited,
        tiles,
        (System.nanoTime() - started) / 1_000_000,
        DreamPictures.gif(frames, 20 * request.every()),
        DreamPictures.png(picture.renderTrack()));
  }
}
