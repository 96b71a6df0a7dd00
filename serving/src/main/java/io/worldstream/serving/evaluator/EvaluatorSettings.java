package io.worldstream.serving.evaluator;

import io.worldstream.envs.EvaluationTracks;
import io.worldstream.service.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the controller evaluator searches. Defaults are the paper's (DESIGN §4): σ₀ 0.1, 64
 * candidates, 16 dream rollouts each.
 *
 * @param instance names this evaluator's transactions; a restarted evaluator with the same name
 *     fences the old one and continues its work
 * @param lineage follow only this lineage, or the lineage of the newest checkpoint
 * @param maxStaleness how many versions the search's checkpoint may fall behind the newest before
 *     the search moves to the newest (it always finishes its generation first)
 * @param horizon dream steps per rollout at most (CarRacing's episodes are 1,000 steps)
 * @param doneThreshold a dream ends when the done head's probability exceeds this
 * @param dreamDropout each dream rollout drops every unit of the MDN-RNN's h before its heads with
 *     this probability, one mask for the whole rollout, so the search cannot exploit one model's
 *     errors (models published without the mask input dream unmasked)
 * @param l2Penalty fitness = mean dream return − l2Penalty × ‖θ‖²
 * @param publish which controller each generation publishes: the search distribution's mean or the
 *     best candidate found on the checkpoint
 * @param realCheckEvery run the published controller in the real environment every this many
 *     generations (counted across checkpoints); 0 never
 * @param realSeeds the CarRacing seeds of those real episodes, one episode per seed: by default the
 *     first of the reserved evaluation tracks that no worker trains on
 * @param startsPerVae real latents kept per VAE version to start dreams from
 * @param threads ONNX Runtime threads and real environments stepping at once
 * @param vae the encoder .onnx (or a directory holding {@code encoder.onnx}) the real check encodes
 *     frames with, or empty for the bundled default VAE
 */
public record EvaluatorSettings(
    String instance,
    Optional<String> lineage,
    int populationSize,
    int rolloutsPerCandidate,
    double initialSigma,
    double temperature,
    int horizon,
    double doneThreshold,
    double dreamDropout,
    double l2Penalty,
    int maxStaleness,
    Publish publish,
    int realCheckEvery,
    List<Long> realSeeds,
    int startsPerVae,
    int threads,
    long seed,
    Optional<Path> vae) {

  public static final String DEFAULT_INSTANCE = "evaluator";

  /** Dropout of the dream by default, as Dropout's Dream Land found best for CarRacing. */
  public static final double DEFAULT_DROPOUT = 0.1;

  /** Evaluation tracks a real check drives by default: enough to rank controllers. */
  public static final int DEFAULT_REAL_TRACKS = 16;

  /** Which controller a generation publishes. */
  public enum Publish {
    /** The mean of the distribution the generation sampled from, scored on the same dreams. */
    MEAN,
    /** The candidate with the best dream return found on the checkpoint so far. */
    BEST;

    /** The choice a person names: mean or best. */
    public static Publish named(String name) {
      try {
        return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(
            "publish", "Unknown controller to publish '" + name + "'; choose mean or best");
      }
    }
  }

  public EvaluatorSettings {
    if (instance == null || instance.isBlank()) {
      throw new InvalidSettingException("instance", "the instance name is empty");
    }
    InvalidSettingException.atLeast("population", "the population", populationSize, 2);
    InvalidSettingException.atLeast("rollouts", "rollouts per candidate", rolloutsPerCandidate, 1);
    InvalidSettingException.atLeast("horizon", "the horizon", horizon, 1);
    InvalidSettingException.atLeast("max-staleness", "the staleness bound", maxStaleness, 0);
    InvalidSettingException.atLeast(
        "real-check-every", "the real check interval", realCheckEvery, 0);
    InvalidSettingException.atLeast("starts-per-vae", "dream starts per VAE", startsPerVae, 1);
    InvalidSettingException.atLeast("threads", "threads", threads, 1);
    if (!(initialSigma > 0) || !Double.isFinite(initialSigma)) {
      throw new InvalidSettingException(
          "sigma", "the initial step size must be positive, not " + initialSigma);
    }
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new InvalidSettingException(
          "temperature", "the temperature must be positive, not " + temperature);
    }
    if (!(doneThreshold > 0 && doneThreshold < 1)) {
      throw new InvalidSettingException(
          "done-threshold", "the done threshold must lie between 0 and 1, not " + doneThreshold);
    }
    if (!(dreamDropout >= 0 && dreamDropout < 1)) {
      throw new InvalidSettingException(
          "dream-dropout", "the dream's dropout must lie in [0, 1), not " + dreamDropout);
    }
    if (!(l2Penalty >= 0) || !Double.isFinite(l2Penalty)) {
      throw new InvalidSettingException(
          "l2-penalty", "the L2 penalty must be zero or positive, not " + l2Penalty);
    }
    java.util.Objects.requireNonNull(publish);
    if (realCheckEvery > 0 && realSeeds.isEmpty()) {
      throw new InvalidSettingException(
          "real-seeds", "a real check needs at least one seed (or real-check-every 0)");
    }
    realSeeds = List.copyOf(realSeeds);
    vae = vae.map(p -> Files.isDirectory(p) ? p.resolve("encoder.onnx") : p);
  }

  /** The paper's search on this machine's cores. */
  public static EvaluatorSettings defaults() {
    return new EvaluatorSettings(
        DEFAULT_INSTANCE,
        Optional.empty(),
        64,
        16,
        0.1,
        1.15,
        1000,
        0.5,
        DEFAULT_DROPOUT,
        0.0,
        0,
        Publish.MEAN,
        10,
        EvaluationTracks.seeds(DEFAULT_REAL_TRACKS),
        1024,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        0,
        Optional.empty());
  }

  /** The same search publishing another controller. */
  public EvaluatorSettings withPublish(Publish publish) {
    return new EvaluatorSettings(
        instance,
        lineage,
        populationSize,
        rolloutsPerCandidate,
        initialSigma,
        temperature,
        horizon,
        doneThreshold,
        dreamDropout,
        l2Penalty,
        maxStaleness,
        publish,
        realCheckEvery,
        realSeeds,
        startsPerVae,
        threads,
        seed,
        vae);
  }

  DreamFitness.Rules rules() {
    return new DreamFitness.Rules(
        rolloutsPerCandidate, horizon, temperature, doneThreshold, dreamDropout);
  }

  /** The same search with other sizes (tests, benchmarks, small machines). */
  public EvaluatorSettings withSearch(int population, int rollouts, int horizon) {
    return new EvaluatorSettings(
        instance,
        lineage,
        population,
        rollouts,
        initialSigma,
        temperature,
        horizon,
        doneThreshold,
        dreamDropout,
        l2Penalty,
        maxStaleness,
        publish,
        realCheckEvery,
        realSeeds,
        startsPerVae,
        threads,
        seed,
        vae);
  }

  public EvaluatorSettings withRealCheck(int every, List<Long> seeds) {
    return new EvaluatorSettings(
        instance,
        lineage,
        populationSize,
        rolloutsPerCandidate,
        initialSigma,
        temperature,
        horizon,
        doneThreshold,
        dreamDropout,
        l2Penalty,
        maxStaleness,
        publish,
        every,
        seeds,
        startsPerVae,
        threads,
        seed,
        vae);
  }
}
