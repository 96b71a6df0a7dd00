package io.worldstream.bench.evaluate;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.bench.DreamStarts;
import io.worldstream.bench.Figures;
import io.worldstream.models.Tensor;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.serving.cmaes.Cmaes;
import io.worldstream.serving.evaluator.Controllers;
import io.worldstream.serving.evaluator.DreamFitness;
import io.worldstream.train.mdn.DjlMdnRnn;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;

/**
 * Seconds per CMA-ES generation of the controller evaluator — ask, every candidate's rollouts in
 * the dream with the controllers acting, tell — against {@code DreamEnvironment} alone stepping the
 * same number of dreams for the same number of steps in the same run. The MDN-RNN is freshly
 * initialised (speed does not depend on the weights' values) with its done head silenced, so every
 * dream runs the whole horizon: the slowest generation there is.
 */
public final class EvaluatorBenchmark {

  /**
   * @param population CMA-ES candidates per generation
   * @param rollouts dreams per candidate
   * @param horizon dream steps per rollout
   * @param generations generations measured (after one that warms up)
   */
  public record Settings(
      int population, int rollouts, int horizon, int generations, int ortThreads) {
    public Settings {
      InvalidSettingException.atLeast("population", "the population", population, 2);
      InvalidSettingException.atLeast("rollouts", "rollouts per candidate", rollouts, 1);
      InvalidSettingException.atLeast("horizon", "the horizon", horizon, 1);
      InvalidSettingException.atLeast("generations", "generations", generations, 1);
      InvalidSettingException.atLeast("ort-threads", "ONNX Runtime threads", ortThreads, 1);
    }
  }

  private final Settings settings;
  private final PrintWriter out;
  private final Figures figures = new Figures();

  public EvaluatorBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public Figures run() {
    int dreams = settings.population() * settings.rollouts();
    out.printf(
        "Evaluator benchmark: %d candidates × %d rollouts × %d dream steps, %d parameters,"
            + " %d ONNX Runtime threads, %d cores%n",
        settings.population(),
        settings.rollouts(),
        settings.horizon(),
        Controllers.PARAMETERS,
        settings.ortThreads(),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    Engine.getInstance().setRandomSeed(1);
    Map<String, Tensor> weights;
    try (NDManager manager = NDManager.newBaseManager()) {
      weights = DjlMdnRnn.initialise(manager).weights().export();
    }
    weights.get("head.bias").data()[MdnSpec.HEAD - 1] = -30;
    try (MdnRnnStep model =
        MdnRnnStep.load(MdnGraphs.step(weights, "bench"), settings.ortThreads())) {
      LatentPool starts = DreamStarts.gaussian();
      DreamFitness.Rules rules =
          new DreamFitness.Rules(settings.rollouts(), settings.horizon(), 1.15, 0.5);

      double alone = dreamAlone(model, starts, dreams);
      out.printf(
          "  DreamEnvironment alone, %d dreams × %d steps: %.2f s (%.0f dream steps/s)%n",
          dreams, settings.horizon(), alone, dreams * (double) settings.horizon() / alone);
      out.flush();

      Cmaes search = Cmaes.start(new double[Controllers.PARAMETERS], 0.1, settings.population(), 1);
      double[] seconds = new double[settings.generations()];
      double cmaesSeconds = 0;
      long dreamSteps = 0;
      for (int g = -1; g < settings.generations(); g++) {
        long started = System.nanoTime();
        double[][] population = search.ask();
        long sampled = System.nanoTime();
        float[][] candidates = new float[population.length][];
        for (int k = 0; k < population.length; k++) {
          candidates[k] = Controllers.toFloats(population[k]);
        }
        DreamFitness.Scores scores =
            DreamFitness.score(model, starts, candidates, rules, 100 + g, () -> false);
        long scored = System.nanoTime();
        search.tell(Arrays.stream(scores.meanReturns()).map(r -> -r).toArray());
        long ended = System.nanoTime();
        double total = (ended - started) / 1e9;
        if (g >= 0) {
          seconds[g] = total;
          cmaesSeconds += ((sampled - started) + (ended - scored)) / 1e9;
          dreamSteps += scores.dreamSteps();
        }
        out.printf(
            "  generation %s: %.2f s (CMA-ES ask + tell %.2f s)%n",
            g < 0 ? "warm-up" : String.valueOf(g),
            total,
            ((sampled - started) + (ended - scored)) / 1e9);
        out.flush();
      }
      double median = median(seconds);
      figures.add("evaluate.generation", median, "s", "dream-environment-alone", alone);
      double measured = Arrays.stream(seconds).sum();
      figures.add(
          "evaluate.dream-steps-end-to-end",
          dreamSteps / measured,
          "dream-steps/s",
          "dream-environment-alone",
          dreams * (double) settings.horizon() / alone);
      figures.add(
          "evaluate.cmaes-ask-tell", cmaesSeconds / settings.generations() * 1e3, "ms/generation");
    }
    figures.print(out);
    return figures;
  }

  /** Seconds for DreamEnvironment alone to step {@code dreams} dreams through the horizon. */
  private double dreamAlone(MdnRnnStep model, LatentPool starts, int dreams) {
    float[] actions = new float[dreams * MdnSpec.ACTIONS];
    Arrays.fill(actions, 0.3f);
    DreamEnvironment warm = new DreamEnvironment(model, starts, dreams, 1.15, 0.5, 1);
    warm.reset();
    for (int t = 0; t < Math.min(50, settings.horizon()); t++) {
      warm.step(actions);
    }
    DreamEnvironment dream = new DreamEnvironment(model, starts, dreams, 1.15, 0.5, 2);
    long started = System.nanoTime();
    dream.reset();
    for (int t = 0; t < settings.horizon(); t++) {
      dream.step(actions);
    }
    return (System.nanoTime() - started) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
