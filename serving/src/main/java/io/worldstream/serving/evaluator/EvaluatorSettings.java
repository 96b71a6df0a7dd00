package io.worldstream.serving.evaluator;

import io.worldstream.envs.EvaluationTracks;
import io.worldstream.service.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How the controller evaluator searches. Defaults are the paper's (DESIGN §4): σ₀ 0.1, 64
 * candidates, 16 dream rollouts each.
 *
 * @param instance names this evaluator's transactions; a restarted evaluator with the same name
 *     fences the old one and continues its work
 * @param lineage follow only this lineage, or the lineage of the newest checkpoint
 * @param maxStaleness how many versions the search's checkpoint may fall behind the newest before
 *     the search moves to the newest (it always finishes its generation first)
 * @param rolloutsUntilDriving dream rollouts per candidate until the lineage's best checked
 *     controller drives ({@link #ALL_ROLLOUTS_FROM}): the search needs many generations to find a
 *     controller that drives at all, and fewer dreams each make them sooner; then it scores
 *     candidates on {@code rolloutsPerCandidate}, whose finer ranking climbs further (as many by
 *     default: of two measured runs with 4 of 8, one learned best and one never took off). Real
 *     checks then come after as much dreaming, not as many generations ({@link #realCheckEvery})
 * @param horizon dream steps per rollout at most (CarRacing's episodes are 1,000 steps)
 * @param doneThreshold a dream ends when the done head's probability exceeds this
 * @param dreamDropout each dream rollout drops every unit of the MDN-RNN's h before its heads with
 *     this probability, one mask for the whole rollout, so the search cannot exploit one model's
 *     errors (models published without the mask input dream unmasked)
 * @param dreamDropoutFrom the search dreams with {@code dreamDropout} only once the lineage's best
 *     checked controller (rechecked) has driven this real return, and with the whole model before:
 *     while no controller drives, the dream ranks them as reality does and dropout slows the search
 *     down; once they drive well, the search climbs into the model's errors and the dream turns
 *     optimistic (docs/experiments/learn-2026-12-05). 0 (the default) dreams with dropout from the
 *     start: in two runs from 400 the dream stopped over-rating the controllers, but the search
 *     climbed no further (docs/experiments/learn-2026-12-07)
 * @param l2Penalty fitness = mean dream return − l2Penalty × ‖θ‖²
 * @param publish which controller each generation publishes: the search distribution's mean, the
 *     running average of its means, the best candidate found on the checkpoint, or the champion
 *     (the last published controller until the mean beats it on a generation's dreams)
 * @param realCheckEvery run the controller a generation would publish in the real environment every
 *     this many generations of {@code rolloutsPerCandidate} dreams each (counted across
 *     checkpoints; generations of fewer dreams count for less); 0 never
 * @param realSeeds the CarRacing seeds of those real episodes, one episode per seed: by default the
 *     first of the selection tracks, reserved from workers and kept apart from the evaluation
 *     tracks that measure controllers
 * @param recheckSeeds where a controller whose check would make it the lineage's best checked
 *     drives again before it is published, so that its real return is the mean over both sets of
 *     tracks: the best of many 16-track checks is the luckiest of them (a winner's curse), and the
 *     best checked controller is what users are given and what the search may go back to. By
 *     default the selection tracks after the check's; empty never
 * @param recheckFrom only a check of at least this real return is repeated: which of the
 *     controllers that do not drive yet leads matters to no one, and early in a run nearly every
 *     check leads
 * @param fallBackMargin when a real check scores more than this below the best checked controller
 *     of the lineage, the search goes back to that controller (its distribution restarts there), so
 *     a search the dream has led astray does not stay astray; empty never
 * @param learnFromChecks every step the real checks drive also goes to {@code wm.experience}, as a
 *     worker's steps do, so the world model learns from the published controller's own driving on
 *     the selection tracks (never the evaluation tracks), experience the checks have paid for
 * @param startsPerVae real latents kept per VAE version to start dreams from, of episodes' first
 *     steps and as many of later steps
 * @param midEpisodeStarts the share of the search's dreams that begin from a real state later in an
 *     episode (with h from zero, as the learner's sequences begin) instead of an episode's first
 *     step, so the search also sees bends taken at speed and not only the start
 * @param midEpisodeStartsFrom the search begins dreams mid-episode only once the lineage's best
 *     checked controller (rechecked) has driven this real return, and from first steps alone
 *     before: until controllers drive, the workers' later states are cars lost on the grass, and a
 *     search that starts there is slower to find one that drives at all (docs/experiments/
 *     learn-2026-12-04); once they drive, what they lose is in bends taken at speed, later in the
 *     episode. 0 starts mid-episode from the start. An hour with half the dreams mid-episode from a
 *     checked 200 drove less well than the defaults (learn-2026-12-07), so neither is on by default
 * @param commonDreams every candidate of a generation drives the same dreams (same starts, dropout
 *     masks and sampling noise), so candidates are ranked by what they do rather than by the luck
 *     of their dreams
 * @param worstShare a candidate's fitness is the mean return of this share of its dreams, the worst
 *     ones: 1 averages them all; less rates a controller by the dreams it drives badly in, so the
 *     search prefers controllers the dream finds reliable to ones it finds lucky
 * @param threads ONNX Runtime threads and real environments stepping at once
 * @param vae the encoder .onnx (or a directory holding {@code encoder.onnx}) the real check encodes
 *     frames with, or empty for the bundled default VAE
 */
public record EvaluatorSettings(
    String instance,
    Optional<String> lineage,
    int populationSize,
    int rolloutsPerCandidate,
    int rolloutsUntilDriving,
    double initialSigma,
    double temperature,
    int horizon,
    double doneThreshold,
    double dreamDropout,
    double dreamDropoutFrom,
    double l2Penalty,
    int maxStaleness,
    Publish publish,
    int realCheckEvery,
    List<Long> realSeeds,
    List<Long> recheckSeeds,
    double recheckFrom,
    OptionalDouble fallBackMargin,
    boolean learnFromChecks,
    int startsPerVae,
    double midEpisodeStarts,
    double midEpisodeStartsFrom,
    boolean commonDreams,
    double worstShare,
    int dreamModels,
    int threads,
    long seed,
    Optional<Path> vae) {

  public static final String DEFAULT_INSTANCE = "evaluator";

  /**
   * Dropout of the dream by default: none. The learner trains M with dropout (Dropout's Dream
   * Land's 0.1), but the search dreams with the whole model: on this loop, dreams without dropout
   * ranked controllers as reality does at least as well, and the loop learned to drive far sooner
   * (docs/experiments/learn-2026-12-05).
   */
  public static final double DEFAULT_DROPOUT = 0;

  /** Selection tracks a real check drives by default: enough to rank controllers. */
  public static final int DEFAULT_REAL_TRACKS = 16;

  /** The real return from which a would-be best checked controller is rechecked: it drives. */
  public static final double DEFAULT_RECHECK_FROM = 100;

  /**
   * The real return from which the best checked controller (rechecked on fresh tracks) counts as
   * driving for {@link #rolloutsUntilDriving}: twice the return a recheck starts from, since early
   * controllers that go straight ahead collect tiles on some tracks (one drove 113 over 32 tracks
   * at a run's fifth minute, and the check after it 8).
   */
  public static final double ALL_ROLLOUTS_FROM = 200;

  /** Which controller a generation publishes. */
  public enum Publish {
    /** The mean of the distribution the generation sampled from, scored on the same dreams. */
    MEAN,
    /**
     * The running average of the distribution's means over about the last {@code 1 / (1 − }{@link
     * #AVERAGE_DECAY}{@code )} generations, scored on the same dreams: the mean wanders with the
     * noise of each generation's ranking, and its average keeps what the generations agree on. It
     * averages only once a real check has seen one of the lineage's controllers drive ({@link
     * #AVERAGE_FROM}); until then it is the mean, which must move fast and far, and an average of
     * far-apart controllers drives like none of them.
     */
    AVERAGE,
    /** The candidate with the best dream return found on the checkpoint so far. */
    BEST,
    /**
     * The controller published last, re-scored on each generation's dreams beside the mean of the
     * distribution, which replaces it only when it scores higher (fairest with common dreams): the
     * workers' controller changes only for one the newest dream prefers.
     */
    CHAMPION;

    /**
     * How far each generation moves the {@link #AVERAGE} toward the distribution's mean: 1 − this.
     */
    public static final double AVERAGE_DECAY = 0.9;

    /**
     * The real return a checked controller of the lineage must have reached before {@link #AVERAGE}
     * averages: well above random driving (about −30) and brownian (about −56), a car that follows
     * the track.
     */
    public static final double AVERAGE_FROM = 100;

    /** The choice a person names: mean, average, best or champion. */
    public static Publish named(String name) {
      try {
        return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(
            "publish",
            "Unknown controller to publish '" + name + "'; choose mean, average, best or champion");
      }
    }
  }

  public EvaluatorSettings {
    if (instance == null || instance.isBlank()) {
      throw new InvalidSettingException("instance", "the instance name is empty");
    }
    InvalidSettingException.atLeast("population", "the population", populationSize, 2);
    InvalidSettingException.atLeast("rollouts", "rollouts per candidate", rolloutsPerCandidate, 1);
    InvalidSettingException.atLeast(
        "rollouts-until-driving",
        "rollouts per candidate until a controller drives",
        rolloutsUntilDriving,
        1);
    InvalidSettingException.atLeast("horizon", "the horizon", horizon, 1);
    InvalidSettingException.atLeast("max-staleness", "the staleness bound", maxStaleness, 0);
    InvalidSettingException.atLeast(
        "real-check-every", "the real check interval", realCheckEvery, 0);
    InvalidSettingException.atLeast("starts-per-vae", "dream starts per VAE", startsPerVae, 1);
    InvalidSettingException.atLeast("threads", "threads", threads, 1);
    InvalidSettingException.atLeast("dream-models", "the models dreamed in", dreamModels, 1);
    if (!(midEpisodeStarts >= 0 && midEpisodeStarts < 1)) {
      throw new InvalidSettingException(
          "mid-episode-starts",
          "the share of mid-episode dream starts must lie in [0, 1), not " + midEpisodeStarts);
    }
    if (!(midEpisodeStartsFrom >= 0) || !Double.isFinite(midEpisodeStartsFrom)) {
      throw new InvalidSettingException(
          "mid-episode-starts-from",
          "the real return from which dreams start mid-episode must be zero or positive, not "
              + midEpisodeStartsFrom);
    }
    if (!(worstShare > 0 && worstShare <= 1)) {
      throw new InvalidSettingException(
          "worst-share", "the share of worst dreams must lie in (0, 1], not " + worstShare);
    }
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
    if (!(dreamDropoutFrom >= 0) || !Double.isFinite(dreamDropoutFrom)) {
      throw new InvalidSettingException(
          "dream-dropout-from",
          "the real return from which the dream drops out must be zero or positive, not "
              + dreamDropoutFrom);
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
    recheckSeeds = List.copyOf(recheckSeeds);
    if (recheckSeeds.stream().anyMatch(realSeeds::contains)) {
      throw new InvalidSettingException(
          "recheck-seeds", "a recheck drives other tracks than the check: " + recheckSeeds);
    }
    if (fallBackMargin.isPresent()) {
      double margin = fallBackMargin.getAsDouble();
      if (!(margin >= 0) || !Double.isFinite(margin)) {
        throw new InvalidSettingException(
            "fall-back-margin", "the fall-back margin must be zero or positive, not " + margin);
      }
      if (realCheckEvery == 0) {
        throw new InvalidSettingException(
            "fall-back-margin", "falling back to the best checked controller needs the real check");
      }
    }
    if (learnFromChecks && realCheckEvery == 0) {
      throw new InvalidSettingException(
          "learn-from-checks", "learning from the real checks needs the real check");
    }
    vae = vae.map(p -> Files.isDirectory(p) ? p.resolve("encoder.onnx") : p);
  }

  /** The paper's search on this machine's cores. */
  public static EvaluatorSettings defaults() {
    return builder().build();
  }

  /** The defaults, to change some of. */
  public static Builder builder() {
    return new Builder();
  }

  /** How a generation dreams, with {@code rollouts} dreams per candidate and this dropout. */
  DreamFitness.Rules rules(int rollouts, double dropout) {
    return new DreamFitness.Rules(
        rollouts, horizon, temperature, doneThreshold, dropout, commonDreams);
  }

  /** Settings built a few at a time; {@link #build} checks them all. */
  public static final class Builder {
    private String instance = DEFAULT_INSTANCE;
    private Optional<String> lineage = Optional.empty();
    private int populationSize = 64;
    private int rolloutsPerCandidate = 16;
    private Integer rolloutsUntilDriving;
    private double initialSigma = 0.1;
    private double temperature = 1.15;
    private int horizon = 1000;
    private double doneThreshold = 0.5;
    private double dreamDropout = DEFAULT_DROPOUT;
    private double dreamDropoutFrom = 0;
    private double l2Penalty = 0;
    private int maxStaleness = 0;
    private Publish publish = Publish.MEAN;
    private int realCheckEvery = 10;
    private List<Long> realSeeds = selectionTracks(0, DEFAULT_REAL_TRACKS);
    private List<Long> recheckSeeds = selectionTracks(DEFAULT_REAL_TRACKS, DEFAULT_REAL_TRACKS);
    private double recheckFrom = DEFAULT_RECHECK_FROM;
    private OptionalDouble fallBackMargin = OptionalDouble.empty();
    private boolean learnFromChecks = false;
    private int startsPerVae = 1024;
    private double midEpisodeStarts = 0;
    private double midEpisodeStartsFrom = 0;
    private boolean commonDreams = false;
    private double worstShare = 1;
    private int dreamModels = 1;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private long seed = 0;
    private Optional<Path> vae = Optional.empty();

    private Builder() {}

    public Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    public Builder lineage(Optional<String> lineage) {
      this.lineage = lineage;
      return this;
    }

    public Builder populationSize(int populationSize) {
      this.populationSize = populationSize;
      return this;
    }

    public Builder rolloutsPerCandidate(int rolloutsPerCandidate) {
      this.rolloutsPerCandidate = rolloutsPerCandidate;
      return this;
    }

    /** Rollouts per candidate until a controller drives; unset, as many as after. */
    public Builder rolloutsUntilDriving(Integer rolloutsUntilDriving) {
      this.rolloutsUntilDriving = rolloutsUntilDriving;
      return this;
    }

    public Builder initialSigma(double initialSigma) {
      this.initialSigma = initialSigma;
      return this;
    }

    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder horizon(int horizon) {
      this.horizon = horizon;
      return this;
    }

    public Builder doneThreshold(double doneThreshold) {
      this.doneThreshold = doneThreshold;
      return this;
    }

    public Builder dreamDropout(double dreamDropout) {
      this.dreamDropout = dreamDropout;
      return this;
    }

    /** The best checked real return from which the dream drops out; 0 from the start. */
    public Builder dreamDropoutFrom(double dreamDropoutFrom) {
      this.dreamDropoutFrom = dreamDropoutFrom;
      return this;
    }

    public Builder l2Penalty(double l2Penalty) {
      this.l2Penalty = l2Penalty;
      return this;
    }

    public Builder maxStaleness(int maxStaleness) {
      this.maxStaleness = maxStaleness;
      return this;
    }

    public Builder publish(Publish publish) {
      this.publish = publish;
      return this;
    }

    public Builder realCheckEvery(int realCheckEvery) {
      this.realCheckEvery = realCheckEvery;
      return this;
    }

    public Builder realSeeds(List<Long> realSeeds) {
      this.realSeeds = realSeeds;
      return this;
    }

    public Builder recheckSeeds(List<Long> recheckSeeds) {
      this.recheckSeeds = recheckSeeds;
      return this;
    }

    public Builder recheckFrom(double recheckFrom) {
      this.recheckFrom = recheckFrom;
      return this;
    }

    public Builder fallBackMargin(OptionalDouble fallBackMargin) {
      this.fallBackMargin = fallBackMargin;
      return this;
    }

    public Builder learnFromChecks(boolean learnFromChecks) {
      this.learnFromChecks = learnFromChecks;
      return this;
    }

    public Builder startsPerVae(int startsPerVae) {
      this.startsPerVae = startsPerVae;
      return this;
    }

    public Builder midEpisodeStarts(double midEpisodeStarts) {
      this.midEpisodeStarts = midEpisodeStarts;
      return this;
    }

    /** The best checked real return from which dreams start mid-episode; 0 from the start. */
    public Builder midEpisodeStartsFrom(double midEpisodeStartsFrom) {
      this.midEpisodeStartsFrom = midEpisodeStartsFrom;
      return this;
    }

    public Builder commonDreams(boolean commonDreams) {
      this.commonDreams = commonDreams;
      return this;
    }

    public Builder worstShare(double worstShare) {
      this.worstShare = worstShare;
      return this;
    }

    public Builder dreamModels(int dreamModels) {
      this.dreamModels = dreamModels;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder vae(Optional<Path> vae) {
      this.vae = vae;
      return this;
    }

    /**
     * Population, rollouts per candidate and horizon at once (tests, benchmarks, small machines).
     */
    public Builder search(int populationSize, int rolloutsPerCandidate, int horizon) {
      return populationSize(populationSize)
          .rolloutsPerCandidate(rolloutsPerCandidate)
          .horizon(horizon);
    }

    /** How often the real check runs and on which tracks, with no recheck. */
    public Builder realCheck(int every, List<Long> seeds) {
      return realCheckEvery(every).realSeeds(seeds).recheckSeeds(List.of());
    }

    /**
     * How often the real check runs, on the first {@code tracks} selection tracks, rechecking a
     * would-be best on as many of the selection tracks after them.
     */
    public Builder realCheck(int every, int tracks) {
      return realCheckEvery(every)
          .realSeeds(selectionTracks(0, tracks))
          .recheckSeeds(selectionTracks(tracks, tracks));
    }

    /** {@code n} selection tracks, from the {@code from}-th on. */
    private static List<Long> selectionTracks(int from, int n) {
      return EvaluationTracks.selectionSeeds(from + n).subList(from, from + n);
    }

    public EvaluatorSettings build() {
      return new EvaluatorSettings(
          instance,
          lineage,
          populationSize,
          rolloutsPerCandidate,
          rolloutsUntilDriving == null ? rolloutsPerCandidate : rolloutsUntilDriving,
          initialSigma,
          temperature,
          horizon,
          doneThreshold,
          dreamDropout,
          dreamDropoutFrom,
          l2Penalty,
          maxStaleness,
          publish,
          realCheckEvery,
          realSeeds,
          recheckSeeds,
          recheckFrom,
          fallBackMargin,
          learnFromChecks,
          startsPerVae,
          midEpisodeStarts,
          midEpisodeStartsFrom,
          commonDreams,
          worstShare,
          dreamModels,
          threads,
          seed,
          vae);
    }
  }
}
