package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.envs.Action;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.Tensor;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.serving.TestRecords;
import io.worldstream.serving.cmaes.Cmaes;
import io.worldstream.serving.registry.CheckpointEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The population's controllers and their dream fitness, on an MDN-RNN with random weights. */
class DreamSearchTest {

  private static MdnRnnStep model;
  private static LatentPool starts;

  @BeforeAll
  static void load() {
    model = MdnRnnStep.load(MdnGraphs.step(actionMatters(RandomWeights.mdn(3)), "test"), 2);
    SplittableRandom random = new SplittableRandom(5);
    List<float[]> mu = new ArrayList<>();
    List<float[]> logvar = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float[] m = new float[MdnSpec.LATENT];
      float[] lv = new float[MdnSpec.LATENT];
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        m[d] = (float) random.nextGaussian();
        lv[d] = -2;
      }
      mu.add(m);
      logvar.add(lv);
    }
    starts = new LatentPool(mu, logvar);
  }

  /**
   * Random weights in which actions move the hidden state and the hidden state moves the reward
   * (both scaled up from PyTorch's initial scale), and episodes rarely end: a dream in which some
   * controllers earn clearly more than others.
   */
  static Map<String, Tensor> actionMatters(Map<String, Tensor> weights) {
    float[] input = weights.get("lstm.weight_ih").data();
    for (int row = 0; row < 4 * MdnSpec.HIDDEN; row++) {
      for (int a = 0; a < MdnSpec.ACTIONS; a++) {
        input[row * MdnSpec.INPUT + MdnSpec.LATENT + a] *= 16;
      }
    }
    float[] head = weights.get("head.weight").data();
    int reward = MdnSpec.HEAD - 2;
    for (int i = 0; i < MdnSpec.HIDDEN; i++) {
      head[reward * MdnSpec.HIDDEN + i] *= 16;
    }
    weights.get("head.bias").data()[MdnSpec.HEAD - 1] = -6;
    return weights;
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void batchedActionsAreThoseOfEachCandidatesLinearController() {
    SplittableRandom random = new SplittableRandom(1);
    int candidates = 3;
    int rollouts = 2;
    float[][] parameters = new float[candidates][Controllers.PARAMETERS];
    for (float[] p : parameters) {
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) (random.nextGaussian() * 0.2);
      }
    }
    int dreams = candidates * rollouts;
    float[] features = new float[dreams * Controllers.INPUTS];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextGaussian();
    }
    float[] actions = new float[dreams * Controllers.OUTPUTS];
    Controllers.act(parameters, rollouts, features, actions);
    for (int d = 0; d < dreams; d++) {
      double[] asDoubles = new double[Controllers.PARAMETERS];
      for (int i = 0; i < asDoubles.length; i++) {
        asDoubles[i] = parameters[d / rollouts][i];
      }
      float[] x = new float[Controllers.INPUTS];
      System.arraycopy(features, d * Controllers.INPUTS, x, 0, x.length);
      Action.Continuous expected = Controllers.controller(asDoubles).carRacingAction(x);
      for (int o = 0; o < Controllers.OUTPUTS; o++) {
        assertThat((double) actions[d * Controllers.OUTPUTS + o])
            .as("dream %d output %d", d, o)
            .isCloseTo(expected.get(o), within(1e-5));
      }
    }
  }

  @Test
  void theSameSeedScoresTheSameAndEndedDreamsStopEarning() {
    float[][] candidates = new float[2][Controllers.PARAMETERS];
    candidates[1][0] = 0.5f;
    DreamFitness.Rules rules = new DreamFitness.Rules(3, 40, 1.0, 0.5);
    DreamFitness.Scores a = DreamFitness.score(model, starts, candidates, rules, 9, () -> false);
    DreamFitness.Scores b = DreamFitness.score(model, starts, candidates, rules, 9, () -> false);
    assertThat(a.meanReturns()).containsExactly(b.meanReturns());
    assertThat(a.dreamSteps()).isEqualTo(b.dreamSteps()).isLessThanOrEqualTo(2 * 3 * 40L);

    DreamFitness.Rules endAtOnce = new DreamFitness.Rules(3, 40, 1.0, 1e-9);
    DreamFitness.Scores ended =
        DreamFitness.score(model, starts, candidates, endAtOnce, 9, () -> false);
    assertThat(ended.dreamSteps()).as("every dream ends at its first step").isEqualTo(6);
  }

  @Test
  void theWorstShareAveragesACandidatesWorstDreams() {
    DreamFitness.Scores scores =
        new DreamFitness.Scores(
            new double[][] {{5, -1, 3, 9}, {2, 2, 2, 2}, {7, 1, 4}}, new double[] {4, 2, 4}, 99);
    assertThat(scores.worstMeans(1)).containsExactly(4, 2, 4);
    assertThat(scores.worstMeans(0.5)).containsExactly(1, 2, 2.5);
    assertThat(scores.worstMeans(0.01)).as("at least one dream").containsExactly(-1, 2, 1);

    float[][] candidates = new float[2][Controllers.PARAMETERS];
    candidates[1][0] = 0.5f;
    DreamFitness.Scores dreamt =
        DreamFitness.score(
            model, starts, candidates, new DreamFitness.Rules(4, 40, 1.0, 0.5), 9, () -> false);
    for (int k = 0; k < candidates.length; k++) {
      assertThat(Arrays.stream(dreamt.returns()[k]).average().orElseThrow())
          .isCloseTo(dreamt.meanReturns()[k], within(1e-9));
      assertThat(dreamt.worstMeans(0.5)[k]).isLessThanOrEqualTo(dreamt.meanReturns()[k] + 1e-9);
    }
  }

  @Test
  void dreamsSpreadOverSeveralModelsGiveEachModelItsShareOfTheRollouts() {
    float[][] candidates = new float[2][Controllers.PARAMETERS];
    candidates[1][0] = 0.5f;
    DreamFitness.Rules four = new DreamFitness.Rules(4, 30, 1.0, 0.5);
    DreamFitness.Rules two = new DreamFitness.Rules(2, 30, 1.0, 0.5);
    try (MdnRnnStep other =
        MdnRnnStep.load(MdnGraphs.step(actionMatters(RandomWeights.mdn(4)), "other"), 1)) {
      DreamFitness.Scores spread =
          DreamFitness.score(List.of(model, other), starts, candidates, four, 9, () -> false);
      DreamFitness.Scores inNewest =
          DreamFitness.score(model, starts, candidates, two, 9, () -> false);
      DreamFitness.Scores inOther =
          DreamFitness.score(other, starts, candidates, two, 10, () -> false);
      for (int k = 0; k < candidates.length; k++) {
        assertThat(spread.returns()[k])
            .as("candidate %d: rollouts 0 and 2 in the newest model, 1 and 3 in the one before", k)
            .containsExactly(
                inNewest.returns()[k][0],
                inOther.returns()[k][0],
                inNewest.returns()[k][1],
                inOther.returns()[k][1]);
        assertThat(spread.meanReturns()[k])
            .isCloseTo(Arrays.stream(spread.returns()[k]).average().orElseThrow(), within(1e-9));
      }
      assertThat(spread.dreamSteps()).isEqualTo(inNewest.dreamSteps() + inOther.dreamSteps());
      assertThat(inOther.returns()[1])
          .as("the two models dream differently")
          .isNotEqualTo(inNewest.returns()[1]);
    }
    DreamFitness.Scores alone =
        DreamFitness.score(List.of(model), starts, candidates, four, 9, () -> false);
    assertThat(alone.returns())
        .isDeepEqualTo(
            DreamFitness.score(model, starts, candidates, four, 9, () -> false).returns());
  }

  @Test
  void commonDreamsScoreEqualControllersEquallyAndRankNeighboursSteadily() {
    float[][] twins = new float[2][Controllers.PARAMETERS];
    twins[0][0] = twins[1][0] = 0.5f;
    DreamFitness.Rules own = new DreamFitness.Rules(3, 40, 1.15, 0.5, 0.1, false);
    DreamFitness.Rules common = new DreamFitness.Rules(3, 40, 1.15, 0.5, 0.1, true);
    double[] apart = DreamFitness.score(model, starts, twins, own, 4, () -> false).meanReturns();
    double[] alike = DreamFitness.score(model, starts, twins, common, 4, () -> false).meanReturns();
    assertThat(apart[0]).as("one controller in different dreams").isNotEqualTo(apart[1]);
    assertThat(alike[0]).as("one controller in the same dreams").isEqualTo(alike[1]);

    // Two neighbouring controllers: their difference in return varies less from seed to seed when
    // they drive the same dreams than when each drives its own.
    float[][] neighbours = new float[2][Controllers.PARAMETERS];
    neighbours[1][0] = 0.05f;
    double ownSpread = spreadOfDifference(neighbours, own);
    double commonSpread = spreadOfDifference(neighbours, common);
    assertThat(commonSpread).isLessThan(ownSpread / 2);
  }

  private static double spreadOfDifference(float[][] pair, DreamFitness.Rules rules) {
    double[] differences = new double[12];
    for (int seed = 0; seed < differences.length; seed++) {
      double[] r = DreamFitness.score(model, starts, pair, rules, seed, () -> false).meanReturns();
      differences[seed] = r[1] - r[0];
    }
    double mean = Arrays.stream(differences).average().orElseThrow();
    return Math.sqrt(
        Arrays.stream(differences).map(d -> (d - mean) * (d - mean)).sum()
            / (differences.length - 1));
  }

  @Test
  void dreamFitnessRisesOverGenerations() {
    DreamFitness.Rules rules = new DreamFitness.Rules(4, 60, 1.0, 0.5);
    Cmaes search = Cmaes.start(new double[Controllers.PARAMETERS], 0.1, 16, 11);
    double first = meanOfMean(search, rules);
    double[] generationMeans = new double[20];
    for (int g = 0; g < generationMeans.length; g++) {
      double[][] population = search.ask();
      float[][] candidates = new float[population.length][];
      for (int k = 0; k < population.length; k++) {
        candidates[k] = Controllers.toFloats(population[k]);
      }
      double[] returns =
          DreamFitness.score(model, starts, candidates, rules, 100 + g, () -> false).meanReturns();
      double[] costs = new double[returns.length];
      for (int k = 0; k < costs.length; k++) {
        costs[k] = -returns[k];
        generationMeans[g] += returns[k] / returns.length;
      }
      search.tell(costs);
    }
    double last = meanOfMean(search, rules);
    assertThat(generationMeans[generationMeans.length - 1])
        .as("population mean return, last generation vs first")
        .isGreaterThan(generationMeans[0]);
    assertThat(last)
        .as("the search mean's dream return on fixed dreams, after vs before")
        .isGreaterThan(first + 0.25 * Math.abs(first) + 0.5);
  }

  @Test
  void publishesTheMeanItSampledFromScoredOnTheSameDreams() throws Exception {
    EvaluatorSettings settings =
        EvaluatorSettings.builder().search(8, 2, 40).realCheck(0, List.of()).build();
    List<ControllerUpdate> published = new ArrayList<>();
    List<EvaluationReport> reports = new ArrayList<>();
    Search search = search(settings, reports, published);
    for (int g = 0; g < 3; g++) {
      double[] mean = search.distribution().mean();
      search.runGeneration(false);
      assertThat(Controllers.parameters(published.get(g)))
          .as("generation %d publishes the mean its population was sampled from", g)
          .containsExactly(mean, within(1e-7));
    }
    assertThat(reports)
        .extracting(EvaluationReport::getControllerDreamReturn)
        .as("the mean is scored, not given the best candidate's score")
        .doesNotContainAnyElementsOf(
            reports.stream().map(EvaluationReport::getBestReturn).toList());
    assertThat(published).extracting(ControllerUpdate::getVersion).containsExactly(1L, 2L, 3L);
  }

  @Test
  void publishesTheRunningAverageOfTheMeansAndGoesOnAveragingOnTheNextCheckpoint()
      throws Exception {
    EvaluatorSettings settings = averaging();
    double decay = EvaluatorSettings.Publish.AVERAGE_DECAY;
    List<ControllerUpdate> published = new ArrayList<>();
    List<EvaluationReport> reports = new ArrayList<>();
    ControllerUpdate drove = checked(7, EvaluatorSettings.Publish.AVERAGE_FROM);
    Search search = search(settings, reports, published, drove, null);
    double[] average = null;
    for (int g = 0; g < 4; g++) {
      double[] mean = search.distribution().mean();
      average = g == 0 ? mean : blend(decay, average, mean);
      search.runGeneration(false);
      assertThat(Controllers.parameters(published.get(g)))
          .as("generation %d publishes the running average of the means", g)
          .containsExactly(average, within(1e-6));
    }
    assertThat(Controllers.parameters(published.get(3)))
        .as("the average lags the wandering mean")
        .isNotEqualTo(search.distribution().mean());

    // A search on the lineage's next checkpoint goes on averaging from what was published last.
    Evaluator.Published before = new Evaluator.Published(reports.get(3), published.get(3), drove);
    Search next = search(settings, reports, published, before, search.distribution(), null, 2);
    double[] mean = next.distribution().mean();
    next.runGeneration(false);
    assertThat(Controllers.parameters(published.get(4)))
        .containsExactly(
            blend(decay, Controllers.parameters(published.get(3)), mean), within(1e-6));
    assertThat(published.get(4).getDreamReturn())
        .as("the average is scored on the generation's dreams, not given a candidate's score")
        .isNotEqualTo(reports.get(4).getBestReturn());
  }

  @Test
  void publishesTheMeanUntilACheckedControllerDrivesThenAveragesFromIt() throws Exception {
    EvaluatorSettings settings = averaging();
    List<ControllerUpdate> published = new ArrayList<>();
    List<EvaluationReport> reports = new ArrayList<>();
    ControllerUpdate stalled = checked(7, EvaluatorSettings.Publish.AVERAGE_FROM - 1);
    Search search = search(settings, reports, published, stalled, null);
    for (int g = 0; g < 2; g++) {
      double[] mean = search.distribution().mean();
      search.runGeneration(false);
      assertThat(Controllers.parameters(published.get(g)))
          .as("generation %d, no checked controller drives yet: the mean", g)
          .containsExactly(mean, within(1e-7));
    }

    // The next checkpoint's search knows of one that drove: it averages from the last mean on.
    Evaluator.Published before =
        new Evaluator.Published(
            reports.get(1), published.get(1), checked(8, EvaluatorSettings.Publish.AVERAGE_FROM));
    Search next = search(settings, reports, published, before, search.distribution(), null, 2);
    double[] mean = next.distribution().mean();
    next.runGeneration(false);
    assertThat(Controllers.parameters(published.get(2)))
        .containsExactly(
            blend(
                EvaluatorSettings.Publish.AVERAGE_DECAY,
                Controllers.parameters(published.get(1)),
                mean),
            within(1e-6));
  }

  @Test
  void scoresOnFewerDreamsUntilACheckedControllerDrives() throws Exception {
    EvaluatorSettings settings =
        EvaluatorSettings.builder()
            .search(8, 4, 40)
            .rolloutsUntilDriving(2)
            .realCheck(0, List.of())
            .build();
    int candidates = settings.populationSize() + 1; // and the mean
    List<EvaluationReport> reports = new ArrayList<>();
    Search stalled = afterBestChecked(settings, reports, EvaluatorSettings.ALL_ROLLOUTS_FROM - 1);
    assertThat(stalled.rollouts()).isEqualTo(2);
    stalled.runGeneration(false);
    assertThat(reports.get(0).getRolloutsPerCandidate()).isEqualTo(2);
    assertThat(reports.get(0).getDreamSteps())
        .as("two dreams per candidate at most")
        .isLessThanOrEqualTo((long) candidates * 2 * settings.horizon());

    Search driving = afterBestChecked(settings, reports, EvaluatorSettings.ALL_ROLLOUTS_FROM);
    assertThat(driving.rollouts()).isEqualTo(4);
    driving.runGeneration(false);
    assertThat(reports.get(1).getRolloutsPerCandidate()).isEqualTo(4);
    assertThat(reports.get(1).getDreamSteps())
        .as("twice the dreams")
        .isGreaterThan(reports.get(0).getDreamSteps());
  }

  @Test
  void dreamsWithDropoutOnlyOnceACheckedControllerDrivesTheGivenReturn() throws Exception {
    EvaluatorSettings.Builder base =
        EvaluatorSettings.builder().search(8, 2, 40).realCheck(0, List.of());
    EvaluatorSettings whole = base.dreamDropout(0).build();
    EvaluatorSettings gated = base.dreamDropout(0.5).dreamDropoutFrom(300).build();
    List<EvaluationReport> reports = new ArrayList<>();
    Search below = afterBestChecked(gated, reports, 299);
    assertThat(below.dreamDropout()).isZero();
    below.runGeneration(false);
    afterBestChecked(whole, reports, 299).runGeneration(false);
    assertThat(reports.get(0).getMeanReturn())
        .as("below the return, the whole model dreams")
        .isEqualTo(reports.get(1).getMeanReturn());

    Search above = afterBestChecked(gated, reports, 300);
    assertThat(above.dreamDropout()).isEqualTo(0.5);
    above.runGeneration(false);
    afterBestChecked(whole, reports, 300).runGeneration(false);
    assertThat(reports.get(2).getMeanReturn())
        .as("from the return on, the dream drops out")
        .isNotEqualTo(reports.get(3).getMeanReturn());

    assertThat(afterBestChecked(base.dreamDropoutFrom(0).build(), reports, 0).dreamDropout())
        .as("from 0, from the start")
        .isEqualTo(0.5);
  }

  @Test
  void startsDreamsMidEpisodeOnlyOnceACheckedControllerDrivesTheGivenReturn() {
    EvaluatorSettings gated =
        EvaluatorSettings.builder().midEpisodeStarts(0.5).midEpisodeStartsFrom(200).build();
    assertThat(Search.midEpisodeStarts(gated, null)).as("before any check").isZero();
    assertThat(Search.midEpisodeStarts(gated, checked(7, 199))).isZero();
    assertThat(Search.midEpisodeStarts(gated, checked(7, 200))).isEqualTo(0.5);
    EvaluatorSettings fromTheStart = EvaluatorSettings.builder().midEpisodeStarts(0.5).build();
    assertThat(Search.midEpisodeStarts(fromTheStart, null)).isEqualTo(0.5);
    assertThat(Search.midEpisodeStarts(EvaluatorSettings.defaults(), checked(7, 900))).isZero();
  }

  /**
   * A search, reporting to {@code reports}, after a best checked controller that drove {@code
   * real}.
   */
  private static Search afterBestChecked(
      EvaluatorSettings settings, List<EvaluationReport> reports, double real) {
    return search(settings, reports, new ArrayList<>(), checked(7, real), null);
  }

  /** A small search that publishes the running average of its means, without real checks. */
  private static EvaluatorSettings averaging() {
    return EvaluatorSettings.builder()
        .search(8, 2, 40)
        .realCheck(0, List.of())
        .publish(EvaluatorSettings.Publish.AVERAGE)
        .initialSigma(0.5)
        .build();
  }

  private static double[] blend(double decay, double[] average, double[] mean) {
    double[] out = new double[average.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = decay * average[i] + (1 - decay) * mean[i];
    }
    return out;
  }

  @Test
  void publishesTheBestCandidateWhenAsked() throws Exception {
    EvaluatorSettings settings =
        EvaluatorSettings.builder()
            .search(8, 2, 40)
            .realCheck(0, List.of())
            .publish(EvaluatorSettings.Publish.BEST)
            .build();
    List<ControllerUpdate> published = new ArrayList<>();
    List<EvaluationReport> reports = new ArrayList<>();
    Search search = search(settings, reports, published);
    search.runGeneration(false);
    assertThat(published.get(0).getDreamReturn()).isEqualTo(reports.get(0).getBestReturn());
  }

  @Test
  void theChampionStaysUntilTheMeanOutscoresItOnTheSameDreams() throws Exception {
    EvaluatorSettings settings =
        EvaluatorSettings.builder()
            .search(8, 3, 40)
            .realCheck(0, List.of())
            .publish(EvaluatorSettings.Publish.CHAMPION)
            .commonDreams(true)
            // Steps large enough that the mean sometimes moves to worse controllers.
            .initialSigma(1.0)
            .build();
    List<ControllerUpdate> published = new ArrayList<>();
    List<EvaluationReport> reports = new ArrayList<>();
    int kept = 0;
    int replaced = 0;
    Search search = search(settings, reports, published);
    for (int g = 0; g < 12; g++) {
      double[] mean = search.distribution().mean();
      search.runGeneration(false);
      double[] now = Controllers.parameters(published.get(g));
      if (g == 0) {
        assertThat(now).as("nothing to defend: the mean").containsExactly(mean, within(1e-6));
        continue;
      }
      double[] before = Controllers.parameters(published.get(g - 1));
      float[][] pair = {Controllers.toFloats(mean), Controllers.toFloats(before)};
      double[] scores =
          DreamFitness.score(
                  model,
                  starts,
                  pair,
                  settings.rules(settings.rolloutsPerCandidate(), settings.dreamDropout()),
                  Search.mix(settings.seed() ^ 0x5DEECE66DL, 1, g),
                  () -> false)
              .meanReturns();
      if (Math.abs(scores[0] - scores[1]) < 1e-3) {
        continue;
      }
      if (scores[0] > scores[1]) {
        assertThat(now).as("generation %d: the mean won", g).containsExactly(mean, within(1e-6));
        assertThat(published.get(g).getDreamReturn()).isCloseTo(scores[0], within(1e-3));
        replaced++;
      } else {
        assertThat(now)
            .as("generation %d: the champion held", g)
            .containsExactly(before, within(1e-6));
        assertThat(published.get(g).getDreamReturn()).isCloseTo(scores[1], within(1e-3));
        kept++;
      }
    }
    assertThat(kept).as("generations the champion held").isPositive();
    assertThat(replaced).as("generations the mean won").isPositive();
  }

  @Test
  void aRealCheckFarBelowTheBestCheckedSendsTheSearchBackToIt() throws Exception {
    EvaluatorSettings settings = checkedOnOneTrack().fallBackMargin(OptionalDouble.of(100)).build();
    // No car earns 5,000 on one track (at most 1,000 for its tiles), so every check is far below.
    ControllerUpdate unbeaten = checked(7, 5_000);
    ControllerUpdate beaten = checked(8, -5_000);
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), 1);
        RealCheck check = new RealCheck(encoder, settings.realSeeds(), 1)) {
      List<ControllerUpdate> published = new ArrayList<>();
      Search back = search(settings, new ArrayList<>(), published, unbeaten, check);
      back.runGeneration(true);
      assertThat(published.get(0).getRealReturn()).isNotNull().isLessThan(1_000);
      assertThat(back.distribution().mean())
          .as("the distribution restarts at the best checked controller")
          .containsExactly(Controllers.parameters(unbeaten));
      assertThat(back.bestChecked()).isSameAs(unbeaten);
      back.runGeneration(false);
      assertThat(Controllers.parameters(published.get(1)))
          .as("the next generation publishes its mean: the best checked controller")
          .containsExactly(Controllers.parameters(unbeaten), within(1e-7));

      published.clear();
      Search ahead = search(settings, new ArrayList<>(), published, beaten, check);
      ahead.runGeneration(true);
      assertThat(ahead.distribution().mean())
          .as("a check above the best checked sends nothing back")
          .isNotEqualTo(Controllers.parameters(beaten));
      assertThat(ahead.bestChecked().getVersion()).isEqualTo(published.get(0).getVersion());
    }
  }

  @Test
  void withoutAFallBackMarginTheSearchGoesOnWhateverTheCheckSays() throws Exception {
    EvaluatorSettings settings = checkedOnOneTrack().build();
    ControllerUpdate unbeaten = checked(7, 5_000);
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), 1);
        RealCheck check = new RealCheck(encoder, settings.realSeeds(), 1)) {
      Search search = search(settings, new ArrayList<>(), new ArrayList<>(), unbeaten, check);
      search.runGeneration(true);
      assertThat(search.distribution().mean()).isNotEqualTo(Controllers.parameters(unbeaten));
      assertThat(search.bestChecked()).isSameAs(unbeaten);
    }
  }

  @Test
  void aCheckThatWouldMakeTheBestIsRepeatedOnFreshTracksAndPublishedWithTheMeanOverBoth()
      throws Exception {
    // Random controllers do not drive, so every check is rechecked here, however low.
    EvaluatorSettings settings =
        checkedOnOneTrack()
            .recheckSeeds(EvaluationTracks.selectionSeeds(2).subList(1, 2))
            .recheckFrom(Double.NEGATIVE_INFINITY)
            .build();
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), 1);
        RealCheck check = new RealCheck(encoder, settings.realSeeds(), 1)) {
      List<EvaluationReport> reports = new ArrayList<>();
      List<ControllerUpdate> published = new ArrayList<>();
      Search leading = search(settings, reports, published, checked(7, -5_000), check);
      leading.runGeneration(true);
      ControllerUpdate update = published.get(0);
      var driven = Controllers.controller(Controllers.parameters(update));
      double onCheck = check.returns(driven, model, () -> false).mean();
      double onRecheck = check.returns(driven, model, settings.recheckSeeds(), () -> false).mean();
      assertThat(onRecheck).as("another track, another return").isNotCloseTo(onCheck, within(1.0));
      assertThat(update.getRealReturn())
          .as("the mean over the check's track and the fresh one")
          .isCloseTo((onCheck + onRecheck) / 2, within(1e-6));
      assertThat(reports.get(0).getRealEpisodes()).isEqualTo(2);
      assertThat(leading.bestChecked().getVersion()).isEqualTo(update.getVersion());

      reports.clear();
      published.clear();
      Search behind = search(settings, reports, published, checked(7, 5_000), check);
      behind.runGeneration(true);
      assertThat(reports.get(0).getRealEpisodes())
          .as("a check behind the best checked is not repeated")
          .isEqualTo(1);
      assertThat(published.get(0).getRealReturn())
          .isCloseTo(reports.get(0).getRealReturn(), within(0.0));

      reports.clear();
      Search notDriving =
          search(
              checkedOnOneTrack().recheckSeeds(settings.recheckSeeds()).build(),
              reports,
              new ArrayList<>(),
              checked(7, -5_000),
              check);
      notDriving.runGeneration(true);
      assertThat(reports.get(0).getRealReturn())
          .as("a random controller does not drive")
          .isLessThan(EvaluatorSettings.DEFAULT_RECHECK_FROM);
      assertThat(reports.get(0).getRealEpisodes())
          .as("a lead below the return that counts as driving is not rechecked")
          .isEqualTo(1);
    }
  }

  /** A small search whose published controller drives one selection track every generation. */
  private static EvaluatorSettings.Builder checkedOnOneTrack() {
    return EvaluatorSettings.builder()
        .search(8, 2, 20)
        .realCheck(1, EvaluationTracks.selectionSeeds(1));
  }

  /** A controller of weights 0.01 and bias (0, 0.3, 0) whose real check scored {@code real}. */
  private static ControllerUpdate checked(long version, double real) {
    return TestRecords.controller("vae-test", version, 1, 0.01f, List.of(0f, 0.3f, 0f))
        .setRealReturn(real)
        .build();
  }

  private static Search search(
      EvaluatorSettings settings,
      List<EvaluationReport> reports,
      List<ControllerUpdate> published) {
    return search(settings, reports, published, null, null);
  }

  /**
   * A search on the shared model, starting from nothing published but the best checked controller
   * {@code bestChecked} (or nothing), with {@code check} as its real check (or none).
   */
  private static Search search(
      EvaluatorSettings settings,
      List<EvaluationReport> reports,
      List<ControllerUpdate> published,
      ControllerUpdate bestChecked,
      RealCheck check) {
    Evaluator.Published before =
        bestChecked == null ? null : new Evaluator.Published(null, null, bestChecked);
    return search(settings, reports, published, before, null, check, 1);
  }

  /**
   * A search on version {@code version} of the shared model's checkpoint, after what the lineage
   * published {@code before} (or nothing), continuing {@code continued}'s distribution (or a new
   * one), with {@code check} as its real check (or none).
   */
  private static Search search(
      EvaluatorSettings settings,
      List<EvaluationReport> reports,
      List<ControllerUpdate> published,
      Evaluator.Published before,
      Cmaes continued,
      RealCheck check,
      long version) {
    // The checkpoint of the shared model, which the search dreams in.
    byte[] onnx = MdnGraphs.step(actionMatters(RandomWeights.mdn(3)), "test");
    var checkpoint =
        CheckpointEntry.of(
            TestRecords.checkpoint("vae-test", version, "vae", onnx, false).build(),
            0,
            0,
            Optional.empty());
    return new Search(
        checkpoint,
        List.of(model),
        starts,
        settings,
        before,
        continued,
        check,
        null,
        () -> false,
        (report, controller) -> {
          reports.add(report);
          published.add(controller);
        },
        line -> {});
  }

  /** The dream return of the search's mean controller on 64 fixed dreams. */
  private static double meanOfMean(Cmaes search, DreamFitness.Rules rules) {
    float[][] mean = {Controllers.toFloats(search.mean())};
    DreamFitness.Rules many = new DreamFitness.Rules(64, rules.horizon(), 1.0, 0.5);
    return DreamFitness.score(model, starts, mean, many, 7, () -> false).meanReturns()[0];
  }
}
