package io.worldstream.serving.dream;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.envs.policy.RandomPolicy;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeDecoder;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.serving.evaluator.Controllers;
import io.worldstream.serving.evaluator.DreamInputs;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Runs on-demand dreams: a checkpoint of the registry, a controller, rollouts stepping together
 * from real episode starts, and, when asked, the first rollouts decoded into pictures by the VAE.
 * The same request with the same seed gives the same answer. At most {@code concurrent} dreams run
 * at once; more are turned away rather than queued.
 */
public final class Dreams implements AutoCloseable {

  /** Why a dream cannot run, in the terms of the request. */
  public static final class Refused extends RuntimeException {
    /** What kind of refusal: the HTTP layer maps these to 404, 409 and 429. */
    public enum Kind {
      NOT_FOUND,
      CONFLICT,
      BUSY
    }

    private final Kind kind;

    Refused(Kind kind, String message) {
      super(message);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

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

  private static final ActionSpec.Box CAR_RACING_ACTIONS =
      new ActionSpec.Box(
          new double[] {-1, 0, 0}, new double[] {1, 1, 1}, new String[] {"steer", "gas", "brake"});

  private final CheckpointRegistry registry;
  private final DreamInputs inputs;
  private final int threads;
  private final Semaphore slots;

  /** The MDN-RNN sessions of the two checkpoints asked for last, and of any still in use. */
  private final LeasedModels<MdnRnnStep> models = new LeasedModels<>(2);

  private VaeDecoder decoder;
  private String defaultVaeVersion;
  private VaeEncoder encoder;

  public Dreams(CheckpointRegistry registry, DreamInputs inputs, int threads, int concurrent) {
    this.registry = registry;
    this.inputs = inputs;
    this.threads = threads;
    this.slots = new Semaphore(concurrent);
  }

  public Result run(DreamRequest request) {
    if (!slots.tryAcquire()) {
      throw new Refused(
          Refused.Kind.BUSY, "too many dreams running at once; try again in a moment");
    }
    try {
      return dream(request);
    } finally {
      slots.release();
    }
  }

  private Result dream(DreamRequest request) {
    long started = System.nanoTime();
    CheckpointEntry checkpoint = checkpoint(request.lineage(), request.version());
    LatentPool starts =
        inputs
            .starts(checkpoint.vaeVersion())
            .orElseThrow(
                () ->
                    new Refused(
                        Refused.Kind.CONFLICT,
                        "no episode starts encoded by VAE "
                            + ModelVersion.shortForm(checkpoint.vaeVersion())
                            + " on wm.latents yet, to start dreams from"));
    Optional<ControllerUpdate> best = best(request.controller(), checkpoint);
    float[] parameters = parameters(request.controller(), request.parameters(), best);
    Optional<Long> controllerVersion = best.map(ControllerUpdate::getVersion);
    try (LeasedModels<MdnRnnStep>.Lease lease = model(checkpoint)) {
      return dream(
          request, checkpoint, starts, parameters, controllerVersion, lease.model(), started);
    }
  }

  private Result dream(
      DreamRequest request,
      CheckpointEntry checkpoint,
      LatentPool starts,
      float[] parameters,
      Optional<Long> controllerVersion,
      MdnRnnStep model,
      long started) {
    int n = request.rollouts();
    int pictured = request.frames() ? Math.min(DreamRequest.FRAME_ROLLOUTS, n) : 0;
    if (pictured > 0) {
      decoder(checkpoint);
    }
    Policy[] policies = new Policy[n];
    for (int d = 0; d < n && parameters == null; d++) {
      policies[d] = policy(request.controller(), request.seed() * 1_000_003L + d);
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
      frames = Optional.of(pictures(latents, t + 1));
    }
    return new Result(
        checkpoint,
        request.controller().name().toLowerCase(java.util.Locale.ROOT),
        controllerVersion,
        returns,
        lengths,
        steps,
        (System.nanoTime() - started) / 1_000_000,
        frames);
  }

  /**
   * The asked-for checkpoint: a lineage (or the newest checkpoint's) and a version (or its newest).
   */
  private CheckpointEntry checkpoint(Optional<String> asked, Optional<Long> version) {
    String lineage =
        asked
            .or(
                () ->
                    registry.lineages().stream()
                        .max(Comparator.comparing(CheckpointEntry::createdTime))
                        .map(CheckpointEntry::lineage))
            .orElseThrow(() -> new Refused(Refused.Kind.NOT_FOUND, "no checkpoint published yet"));
    return version
        .map(v -> registry.details(lineage, v).map(CheckpointRegistry.Details::checkpoint))
        .orElseGet(() -> registry.latest(lineage))
        .orElseThrow(
            () ->
                new Refused(
                    Refused.Kind.NOT_FOUND,
                    version.isPresent()
                        ? "no checkpoint v" + version.get() + " of '" + lineage + "'"
                        : "no lineage '" + lineage + "'"));
  }

  /**
   * When the best controller is asked for: the best found on this checkpoint, or else the newest of
   * its lineage (found on an earlier checkpoint; the search on this one has not published yet).
   */
  private Optional<ControllerUpdate> best(
      DreamRequest.Controller controller, CheckpointEntry checkpoint) {
    if (controller != DreamRequest.Controller.BEST) {
      return Optional.empty();
    }
    return Optional.of(
        registry
            .details(checkpoint.lineage(), checkpoint.version())
            .flatMap(CheckpointRegistry.Details::bestController)
            .or(() -> registry.newestController(checkpoint.lineage()))
            .orElseThrow(
                () ->
                    new Refused(
                        Refused.Kind.CONFLICT,
                        "no controller has been found for "
                            + checkpoint.lineage()
                            + " yet; ask for \"random\", \"brownian\" or \"parameters\"")));
  }

  /** The linear controller's parameters, or null for the random and brownian policies. */
  private static float[] parameters(
      DreamRequest.Controller controller,
      Optional<double[]> given,
      Optional<ControllerUpdate> best) {
    if (best.isPresent()) {
      return Controllers.toFloats(Controllers.parameters(best.get()));
    }
    if (controller == DreamRequest.Controller.PARAMETERS) {
      return Controllers.toFloats(given.orElseThrow());
    }
    return null;
  }

  private static Policy policy(DreamRequest.Controller controller, long seed) {
    return controller == DreamRequest.Controller.RANDOM
        ? new RandomPolicy(CAR_RACING_ACTIONS, seed)
        : new BrownianPolicy(CAR_RACING_ACTIONS, seed);
  }

  /** A real CarRacing episode driven by the asked-for controller, pictured every few steps. */
  public Episode episode(EpisodeRequest request) {
    if (!slots.tryAcquire()) {
      throw new Refused(
          Refused.Kind.BUSY, "too many dreams and episodes running at once; try again in a moment");
    }
    try {
      return realEpisode(request);
    } finally {
      slots.release();
    }
  }

  /**
   * @param frames an animated GIF of every {@code every}-th observation
   */
  public record Episode(
      CheckpointEntry checkpoint,
      String controller,
      Optional<Long> controllerVersion,
      double totalReward,
      int steps,
      boolean terminated,
      long wallMillis,
      byte[] frames) {}

  private Episode realEpisode(EpisodeRequest request) {
    long started = System.nanoTime();
    CheckpointEntry checkpoint = checkpoint(request.lineage(), request.version());
    Optional<ControllerUpdate> best = best(request.controller(), checkpoint);
    float[] parameters = parameters(request.controller(), request.parameters(), best);
    if (parameters == null) {
      Policy policy = policy(request.controller(), request.seed());
      return realEpisode(request, checkpoint, best, null, null, null, policy, started);
    }
    double[] asDoubles = new double[parameters.length];
    for (int i = 0; i < asDoubles.length; i++) {
      asDoubles[i] = parameters[i];
    }
    LinearController controller = Controllers.controller(asDoubles);
    VaeEncoder vae = encoder(checkpoint);
    try (LeasedModels<MdnRnnStep>.Lease lease = model(checkpoint)) {
      return realEpisode(request, checkpoint, best, controller, lease.model(), vae, null, started);
    }
  }

  /**
   * Drives the episode with {@code controller} (on {@code model} and {@code vae}) or else {@code
   * policy}.
   */
  private Episode realEpisode(
      EpisodeRequest request,
      CheckpointEntry checkpoint,
      Optional<ControllerUpdate> best,
      LinearController controller,
      MdnRnnStep model,
      VaeEncoder vae,
      Policy policy,
      long started) {
    float[] h = new float[MdnSpec.HIDDEN];
    float[] c = new float[MdnSpec.HIDDEN];
    float[] features = new float[DreamEnvironment.FEATURES];
    java.util.List<Pixels> frames = new java.util.ArrayList<>();
    double total = 0;
    int steps = 0;
    boolean terminated = false;
    try (Environment env = Environments.make(CarRacing.ID, true, false)) {
      Pixels observation = env.reset(request.seed()).observation();
      for (int t = 0; t < request.steps(); t++) {
        if (t % request.every() == 0) {
          frames.add(observation);
        }
        Action action;
        if (controller != null) {
          float[] z = vae.encodeObservations(java.util.List.of(observation.data())).mu();
          System.arraycopy(z, 0, features, 0, MdnSpec.LATENT);
          System.arraycopy(h, 0, features, MdnSpec.LATENT, MdnSpec.HIDDEN);
          Action.Continuous a = controller.carRacingAction(features);
          float[] values = {(float) a.get(0), (float) a.get(1), (float) a.get(2)};
          MdnRnnStep.Output out = model.step(z, values, h, c, 1);
          h = out.h();
          c = out.c();
          action = a;
        } else {
          action = policy.act(observation);
        }
        Step step = env.step(action);
        total += step.reward();
        steps++;
        observation = step.observation();
        if (step.done()) {
          terminated = step.terminated();
          frames.add(observation);
          break;
        }
      }
    }
    return new Episode(
        checkpoint,
        request.controller().name().toLowerCase(java.util.Locale.ROOT),
        best.map(ControllerUpdate::getVersion),
        total,
        steps,
        terminated,
        (System.nanoTime() - started) / 1_000_000,
        DreamPictures.gif(frames, 20 * request.every()));
  }

  /** The bundled VAE's version, hashed once (the encoder is 17 MB). */
  private synchronized String defaultVaeVersion() {
    if (defaultVaeVersion == null) {
      defaultVaeVersion = ModelVersion.of(DefaultVae.encoder());
    }
    return defaultVaeVersion;
  }

  private synchronized VaeEncoder encoder(CheckpointEntry checkpoint) {
    String vae = defaultVaeVersion();
    if (!vae.equals(checkpoint.vaeVersion())) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "the controller reads latents of VAE "
              + ModelVersion.shortForm(checkpoint.vaeVersion())
              + "; this server has the default VAE, "
              + ModelVersion.shortForm(vae));
    }
    if (encoder == null) {
      encoder = VaeEncoder.load(DefaultVae.encoder(), threads);
    }
    return encoder;
  }

  private static void keep(float[][] latents, float[] features, int t) {
    for (int d = 0; d < latents.length; d++) {
      System.arraycopy(
          features, d * DreamEnvironment.FEATURES, latents[d], t * MdnSpec.LATENT, MdnSpec.LATENT);
    }
  }

  private Frames pictures(float[][] latents, int steps) {
    int rollouts = latents.length;
    float[][][] frames = new float[rollouts][steps][];
    int pixels = 3 * 64 * 64;
    synchronized (this) {
      for (int r = 0; r < rollouts; r++) {
        float[] decoded = decoder.decode(Arrays.copyOf(latents[r], steps * MdnSpec.LATENT), steps);
        for (int t = 0; t < steps; t++) {
          frames[r][t] = Arrays.copyOfRange(decoded, t * pixels, (t + 1) * pixels);
        }
      }
    }
    return new Frames(rollouts, steps, DreamPictures.gif(frames, 40), DreamPictures.strip(frames));
  }

  /** The checkpoint's MDN-RNN session, leased until the request is done with it. */
  private LeasedModels<MdnRnnStep>.Lease model(CheckpointEntry checkpoint) {
    return models.lease(checkpoint.lineage() + "@" + checkpoint.version(), () -> load(checkpoint));
  }

  private MdnRnnStep load(CheckpointEntry checkpoint) {
    CheckpointRegistry.Model found = registry.model(checkpoint.lineage(), checkpoint.version());
    if (found instanceof CheckpointRegistry.Model.Corrupt corrupt) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "checkpoint v" + checkpoint.version() + " is corrupt: " + corrupt.reason());
    }
    if (found instanceof CheckpointRegistry.Model.Gone gone) {
      throw new Refused(
          Refused.Kind.NOT_FOUND,
          "checkpoint v" + checkpoint.version() + " is no longer kept: " + gone.reason());
    }
    if (!(found instanceof CheckpointRegistry.Model.Found ok)) {
      throw new Refused(Refused.Kind.NOT_FOUND, "checkpoint v" + checkpoint.version() + " is gone");
    }
    return MdnRnnStep.load(ok.onnx(), threads);
  }

  private synchronized void decoder(CheckpointEntry checkpoint) {
    String vae = defaultVaeVersion();
    if (!vae.equals(checkpoint.vaeVersion())) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "frames need the decoder of VAE "
              + ModelVersion.shortForm(checkpoint.vaeVersion())
              + "; this server has the default VAE's, "
              + ModelVersion.shortForm(vae));
    }
    if (decoder == null) {
      decoder = VaeDecoder.load(DefaultVae.decoder(), threads);
    }
  }

  @Override
  public synchronized void close() {
    models.close();
    if (decoder != null) {
      decoder.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }
}
