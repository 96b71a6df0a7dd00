package io.worldstream.serving.evaluator;

import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.serving.cmaes.Cmaes;
import io.worldstream.serving.evaluator.Evaluator.Published;
import io.worldstream.serving.registry.CheckpointEntry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * CMA-ES on one checkpoint: each generation samples a population, scores it in the checkpoint's
 * dream, updates the search, and hands its report and a controller to be published: by default the
 * mean of the distribution the generation sampled from, scored on the same dreams as the population
 * (the single best candidate is the luckiest of 32 noisy scores, a winner's curse that made the
 * published controller swing from one generation to the next), the running average of those means
 * over the last generations (which the lineage's next searches go on averaging), the best candidate
 * found on this checkpoint, or the champion: the controller published last, re-scored on every
 * generation's dreams beside the mean, which replaces it only by scoring higher on them. On a newer
 * checkpoint of the same lineage the search distribution carries over (successive versions of one
 * model change its dream gradually); otherwise it starts from the newest controller the lineage
 * published (a warm start), or continues a search that earlier runs published generations of.
 * Candidates dream in the checkpoint's model, or in it and the lineage's models before it ({@code
 * models}, newest first, owned by the caller; {@link DreamFitness#score(List, LatentPool,
 * float[][], DreamFitness.Rules, long, java.util.function.BooleanSupplier)}); the real check drives
 * with the checkpoint's own. With a fall-back margin, a real check that scores that far below the
 * best checked controller of the lineage sends the search back to that controller: the distribution
 * restarts around it, so a search the dream has led to controllers that drive badly does not stay
 * there. A check that would make its controller the best checked is first repeated on fresh tracks
 * ({@link EvaluatorSettings#recheckSeeds}), and the controller is published with the mean over
 * both.
 */
final class Search {

  private final CheckpointEntry checkpoint;
  private final List<MdnRnnStep> models;
  private final LatentPool starts;
  private final EvaluatorSettings settings;
  private final RealCheck realCheck;
  private final CheckExperience experience;
  private final BooleanSupplier cancelled;
  private final BiConsumer<EvaluationReport, ControllerUpdate> publish;
  private final Consumer<String> say;
  private Cmaes cmaes;
  private ControllerUpdate bestChecked;
  private int generation;
  private long controllerVersion;
  private double[] published;

  /**
   * The running average of the distribution's means, when it is what the search publishes: the mean
   * itself until a checked controller drives.
   */
  private double[] averaged;

  private double bestFitness = Double.NEGATIVE_INFINITY;
  private double publishedDreamReturn;

  Search(
      CheckpointEntry checkpoint,
      List<MdnRnnStep> models,
      LatentPool starts,
      EvaluatorSettings settings,
      Published before,
      Cmaes continued,
      RealCheck realCheck,
      CheckExperience experience,
      BooleanSupplier cancelled,
      BiConsumer<EvaluationReport, ControllerUpdate> publish,
      Consumer<String> say) {
    this.checkpoint = checkpoint;
    this.models = List.copyOf(models);
    this.starts = starts;
    this.settings = settings;
    this.realCheck = realCheck;
    this.experience = experience;
    this.cancelled = cancelled;
    this.publish = publish;
    this.say = say;
    ControllerUpdate last = before == null ? null : before.controller();
    this.bestChecked = before == null ? null : before.bestChecked();
    boolean fromLast =
        last != null && last.getWeights().size() + last.getBias().size() == Controllers.PARAMETERS;
    double[] mean = fromLast ? Controllers.parameters(last) : new double[Controllers.PARAMETERS];
    this.controllerVersion = last == null ? 0 : last.getVersion();
    double sigma = settings.initialSigma();
    EvaluationReport report = before == null ? null : before.report();
    if (report != null && report.getCheckpointVersion() == checkpoint.version()) {
      generation = report.getGeneration() + 1;
      sigma = report.getSigma();
      if (last != null && last.getCheckpointVersion() == checkpoint.version()) {
        published = mean.clone();
        publishedDreamReturn = last.getDreamReturn();
        bestFitness =
            publishedDreamReturn - settings.l2Penalty() * Controllers.squaredNorm(published);
      }
    }
    if (settings.publish() == EvaluatorSettings.Publish.CHAMPION && fromLast) {
      // The champion defends its title in every checkpoint's dream, not only in the one it won.
      published = mean.clone();
      publishedDreamReturn = last.getDreamReturn();
    }
    if (settings.publish() == EvaluatorSettings.Publish.AVERAGE && fromLast) {
      // The average the lineage published last goes on averaging this checkpoint's means.
      averaged = mean.clone();
    }
    this.cmaes =
        continued != null
            ? continued
            : Cmaes.start(
                mean,
                sigma,
                settings.populationSize(),
                mix(settings.seed(), checkpoint.version(), generation));
  }

  String lineage() {
    return checkpoint.lineage();
  }

  /** The search distribution, for a search on a newer checkpoint of the lineage to continue. */
  Cmaes distribution() {
    return cmaes;
  }

  /** Whether the search should leave its checkpoint for this newer one. */
  boolean shouldMoveTo(CheckpointEntry newest) {
    if (!newest.lineage().equals(checkpoint.lineage())) {
      return true;
    }
    return newest.version() - checkpoint.version() > settings.maxStaleness();
  }

  /**
   * @param realCheckDue whether to run the published controller in the real environment this time
   */
  void runGeneration(boolean realCheckDue) throws InterruptedException {
    long started = System.nanoTime();
    int rollouts = rollouts();
    double dropout = dreamDropout();
    // The mean this generation may publish: the distribution's, or the running average of its
    // means.
    double[] meanController = cmaes.mean();
    double[][] population = cmaes.ask();
    EvaluatorSettings.Publish rule = settings.publish();
    if (rule == EvaluatorSettings.Publish.AVERAGE) {
      averaged =
          averaged == null || !checkedAtLeast(EvaluatorSettings.Publish.AVERAGE_FROM)
              ? meanController
              : towards(averaged, meanController);
      meanController = averaged;
    }
    boolean scoreMean = rule != EvaluatorSettings.Publish.BEST;
    boolean defendChampion = rule == EvaluatorSettings.Publish.CHAMPION && published != null;
    // The distribution's mean (and the champion it challenges) drive their own dreams beside the
    // population's, so their dream returns are measured afresh rather than picked as the luckiest.
    int meanIndex = population.length;
    int championIndex = population.length + 1;
    float[][] candidates =
        new float[population.length + (scoreMean ? 1 : 0) + (defendChampion ? 1 : 0)][];
    for (int k = 0; k < population.length; k++) {
      candidates[k] = Controllers.toFloats(population[k]);
    }
    if (scoreMean) {
      candidates[meanIndex] = Controllers.toFloats(meanController);
    }
    if (defendChampion) {
      candidates[championIndex] = Controllers.toFloats(published);
    }
    DreamFitness.Scores scores =
        DreamFitness.score(
            models,
            starts,
            candidates,
            settings.rules(rollouts, dropout),
            mix(settings.seed() ^ 0x5DEECE66DL, checkpoint.version(), generation),
            cancelled);
    double[] returns = Arrays.copyOf(scores.meanReturns(), population.length);
    double[] worst = scores.worstMeans(settings.worstShare());
    double[] costs = new double[returns.length];
    int bestOfGeneration = 0;
    for (int k = 0; k < returns.length; k++) {
      double fitness = worst[k] - settings.l2Penalty() * Controllers.squaredNorm(population[k]);
      costs[k] = -fitness;
      if (costs[k] < costs[bestOfGeneration]) {
        bestOfGeneration = k;
      }
    }
    cmaes.tell(costs);
    String held = "";
    if (rule == EvaluatorSettings.Publish.MEAN
        || rule == EvaluatorSettings.Publish.AVERAGE
        || (rule == EvaluatorSettings.Publish.CHAMPION
            && (!defendChampion || worst[meanIndex] > worst[championIndex]))) {
      published = meanController;
      publishedDreamReturn = scores.meanReturns()[meanIndex];
    } else if (defendChampion) {
      publishedDreamReturn = scores.meanReturns()[championIndex];
      held =
          String.format(
              ", the champion held (%.1f against the mean's %.1f)",
              publishedDreamReturn, scores.meanReturns()[meanIndex]);
    } else if (-costs[bestOfGeneration] > bestFitness) {
      bestFitness = -costs[bestOfGeneration];
      published = population[bestOfGeneration].clone();
      publishedDreamReturn = returns[bestOfGeneration];
    }

    RealCheck.Returns real = null;
    String rechecked = "";
    if (realCheck != null && realCheckDue) {
      var driving = Controllers.controller(published);
      List<Long> seeds = realCheck.seeds();
      real = realCheck.returns(driving, models.get(0), seeds, cancelled, recorder(seeds));
      if (wouldLead(real.mean())
          && real.mean() >= settings.recheckFrom()
          && !settings.recheckSeeds().isEmpty()) {
        seeds = settings.recheckSeeds();
        RealCheck.Returns again =
            realCheck.returns(driving, models.get(0), seeds, cancelled, recorder(seeds));
        rechecked =
            String.format(
                " (%.1f on the check's %d, %.1f on %d more)",
                real.mean(), real.tracks(), again.mean(), again.tracks());
        real = real.and(again);
      }
    }
    Double realReturn = real == null ? null : real.mean();
    int realEpisodes = real == null ? 0 : real.tracks();

    Instant now = Instant.now();
    long wallMillis = (System.nanoTime() - started) / 1_000_000;
    double mean = Arrays.stream(returns).average().orElseThrow();
    double variance =
        Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).sum() / returns.length;
    controllerVersion++;
    EvaluationReport report =
        EvaluationReport.newBuilder()
            .setLineage(checkpoint.lineage())
            .setCheckpointVersion(checkpoint.version())
            .setVaeVersion(checkpoint.vaeVersion())
            .setGeneration(generation)
            .setPopulationSize(population.length)
            .setRolloutsPerCandidate(rollouts)
            .setTemperature(settings.temperature())
            .setBestReturn(returns[bestOfGeneration])
            .setMeanReturn(mean)
            .setWorstReturn(Arrays.stream(returns).min().orElseThrow())
            .setStdReturn(Math.sqrt(variance))
            .setHorizon(settings.horizon())
            .setSigma(cmaes.sigma())
            .setControllerVersion(controllerVersion)
            .setControllerDreamReturn(publishedDreamReturn)
            .setRealReturn(realReturn)
            .setRealEpisodes(realEpisodes)
            .setRealReturnSd(real == null ? null : real.sd())
            .setDreamSteps(scores.dreamSteps())
            .setWallMillis(wallMillis)
            .setCreatedTime(now)
            .build();
    var controller = Controllers.controller(published);
    ControllerUpdate update =
        ControllerUpdate.newBuilder()
            .setLineage(checkpoint.lineage())
            .setVersion(controllerVersion)
            .setCheckpointVersion(checkpoint.version())
            .setVaeVersion(checkpoint.vaeVersion())
            .setInputSize(Controllers.INPUTS)
            .setOutputSize(Controllers.OUTPUTS)
            .setWeights(boxed(controller.weights()))
            .setBias(boxed(controller.bias()))
            .setDreamReturn(publishedDreamReturn)
            .setRealReturn(realReturn)
            .setGeneration(generation)
            .setCreatedTime(now)
            .build();
    publish.accept(report, update);
    String fellBack = real == null ? "" : afterRealCheck(update);
    say.accept(
        String.format(
            "evaluator: %s v%d generation %d: dream best %.2f mean %.2f ± %.2f%s, σ %.4f%s%s%s,"
                + " %.1f s",
            checkpoint.lineage(),
            checkpoint.version(),
            generation,
            report.getBestReturn(),
            mean,
            report.getStdReturn(),
            dropout > 0 ? String.format(" (dropout %.2f)", dropout) : "",
            cmaes.sigma(),
            held,
            realReturn == null
                ? ""
                : String.format(
                    ", controller v%d real %.1f ± %.1f over %d tracks%s (dream %.1f)",
                    controllerVersion,
                    realReturn,
                    real.sd(),
                    realEpisodes,
                    rechecked,
                    publishedDreamReturn),
            fellBack,
            wallMillis / 1000.0));
    generation++;
  }

  /**
   * Where a check of the controller about to be published (the next version) records its steps: to
   * {@code wm.experience} when the checks feed the model, nowhere otherwise.
   */
  private RealCheck.Recorder recorder(List<Long> seeds) {
    return experience == null
        ? RealCheck.Recorder.NONE
        : experience.recorder(seeds, controllerVersion + 1);
  }

  /**
   * Keeps the best checked controller and, with a fall-back margin, restarts the distribution at it
   * when {@code checked} drove more than the margin below it.
   *
   * @return what the log line says of it
   */
  private String afterRealCheck(ControllerUpdate checked) {
    ControllerUpdate best = bestChecked;
    bestChecked = Evaluator.Published.betterChecked(best, checked);
    OptionalDouble margin = settings.fallBackMargin();
    if (best == null
        || margin.isEmpty()
        || checked.getRealReturn() >= best.getRealReturn() - margin.getAsDouble()
        || best.getWeights().size() + best.getBias().size() != Controllers.PARAMETERS) {
      return "";
    }
    published = Controllers.parameters(best);
    if (averaged != null) {
      averaged = published.clone(); // the average starts again from the controller gone back to
    }
    publishedDreamReturn = best.getDreamReturn();
    bestFitness = Double.NEGATIVE_INFINITY;
    cmaes =
        Cmaes.start(
            published.clone(),
            cmaes.sigma(),
            settings.populationSize(),
            mix(settings.seed(), checkpoint.version(), generation));
    return String.format(
        "; more than %.0f below controller v%d's %.1f, the search goes back to it",
        margin.getAsDouble(), best.getVersion(), best.getRealReturn());
  }

  /**
   * Whether a check of this mean would make its controller the lineage's best checked: then it is
   * rechecked on fresh tracks before it is published, so the best is not merely the luckiest.
   */
  private boolean wouldLead(double realMean) {
    return bestChecked == null
        || bestChecked.getRealReturn() == null
        || realMean > bestChecked.getRealReturn();
  }

  /** The best checked controller this search knows of: handed over, or checked since. */
  ControllerUpdate bestChecked() {
    return bestChecked;
  }

  /**
   * Dream rollouts per candidate the next generation scores on: fewer until the lineage's best
   * checked controller drives ({@link EvaluatorSettings#rolloutsUntilDriving}, {@link
   * EvaluatorSettings#ALL_ROLLOUTS_FROM}).
   */
  int rollouts() {
    return checkedAtLeast(EvaluatorSettings.ALL_ROLLOUTS_FROM)
        ? settings.rolloutsPerCandidate()
        : settings.rolloutsUntilDriving();
  }

  /**
   * The dream's dropout for the next generation: {@link EvaluatorSettings#dreamDropout} once the
   * lineage's best checked controller drove {@link EvaluatorSettings#dreamDropoutFrom}, none
   * before.
   */
  double dreamDropout() {
    return onceDriven(settings.dreamDropout(), settings.dreamDropoutFrom(), bestChecked);
  }

  /**
   * The share of a search's dreams that start mid-episode, in a lineage whose best checked
   * controller is {@code bestChecked} (null before any): {@link EvaluatorSettings#midEpisodeStarts}
   * once it drove {@link EvaluatorSettings#midEpisodeStartsFrom}, none before.
   */
  static double midEpisodeStarts(EvaluatorSettings settings, ControllerUpdate bestChecked) {
    return onceDriven(settings.midEpisodeStarts(), settings.midEpisodeStartsFrom(), bestChecked);
  }

  /** {@code value} once {@code checked} drove {@code from} (or from the start if 0), 0 before. */
  private static double onceDriven(double value, double from, ControllerUpdate checked) {
    return from <= 0 || drove(checked, from) ? value : 0;
  }

  /** Whether the lineage's best checked controller drove at least {@code realReturn}. */
  private boolean checkedAtLeast(double realReturn) {
    return drove(bestChecked, realReturn);
  }

  /** Whether a checked controller drove at least {@code realReturn}; false for null. */
  private static boolean drove(ControllerUpdate checked, double realReturn) {
    return checked != null
        && checked.getRealReturn() != null
        && checked.getRealReturn() >= realReturn;
  }

  /** The average moved one generation toward {@code mean}. */
  private static double[] towards(double[] average, double[] mean) {
    double decay = EvaluatorSettings.Publish.AVERAGE_DECAY;
    double[] moved = new double[average.length];
    for (int i = 0; i < moved.length; i++) {
      moved[i] = decay * average[i] + (1 - decay) * mean[i];
    }
    return moved;
  }

  /** A seed for (seed, version, generation), so a rerun generation samples the same. */
  static long mix(long seed, long version, long generation) {
    long h = seed;
    h = h * 0x9E3779B97F4A7C15L + version;
    h = Long.rotateLeft(h, 31) * 0xBF58476D1CE4E5B9L + generation;
    return h ^ (h >>> 29);
  }

  private static List<Float> boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return Arrays.asList(out);
  }
}
