package io.worldstream.serving.evaluator;

import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Scores a population of controllers inside one world model's dream: every candidate drives {@code
 * rollouts} dreams (candidate k's r-th dream is dream k·rollouts + r), all candidates' dreams step
 * together (one MDN-RNN call per time step), and each dream's return is the sum of the rewards the
 * model predicts until its done head says the episode ended, or the horizon. A candidate's score is
 * the mean of its dreams' returns, or of its worst ones ({@link Scores#worstMeans}).
 */
public final class DreamFitness {

  /**
   * @param returns per candidate, the predicted return of each of its dreams
   * @param meanReturns per candidate, the mean predicted return of its dreams
   * @param dreamSteps steps of dreams still running, summed over the generation
   */
  public record Scores(double[][] returns, double[] meanReturns, long dreamSteps) {

    /**
     * Per candidate, the mean return of its worst {@code share} of dreams (at least one): 1 is the
     * mean of all, ½ the mean of the worse half, which rates a controller by the dreams it drives
     * badly in rather than by the lucky ones.
     */
    public double[] worstMeans(double share) {
      double[] out = new double[returns.length];
      for (int k = 0; k < returns.length; k++) {
        double[] sorted = returns[k].clone();
        Arrays.sort(sorted);
        int kept = Math.max(1, (int) Math.ceil(share * sorted.length - 1e-9));
        double sum = 0;
        for (int r = 0; r < kept; r++) {
          sum += sorted[r];
        }
        out[k] = sum / kept;
      }
      return out;
    }
  }

  /**
   * How the dreams run: rollouts per candidate, horizon, temperature, done threshold, the dropout
   * each rollout draws its own mask over h with (0 for the model as trained on average), and
   * whether every candidate drives the same dreams: its r-th rollout starts from the same latent,
   * with the same mask and sampling noise, as every other candidate's r-th (common random numbers,
   * so the ranking compares controllers on equal terms).
   */
  public record Rules(
      int rollouts,
      int horizon,
      double temperature,
      double doneThreshold,
      double dropout,
      boolean commonDreams) {
    public Rules(int rollouts, int horizon, double temperature, double doneThreshold) {
      this(rollouts, horizon, temperature, doneThreshold, 0, false);
    }
  }

  private DreamFitness() {}

  /**
   * Scores the candidates in the dreams of several world models at once: rollout r of every
   * candidate dreams in {@code models[r mod K]}, so each candidate drives in every model (given at
   * least K rollouts) and a controller that exploits one model's errors is rated by the others too.
   * With one model this is {@link #score(MdnRnnStep, LatentPool, float[][], Rules, long,
   * BooleanSupplier)} with the same seed.
   */
  public static Scores score(
      List<MdnRnnStep> models,
      LatentPool starts,
      float[][] candidates,
      Rules rules,
      long seed,
      BooleanSupplier cancelled) {
    int k = models.size();
    if (k == 1) {
      return score(models.get(0), starts, candidates, rules, seed, cancelled);
    }
    double[][] returns = new double[candidates.length][rules.rollouts()];
    long steps = 0;
    for (int m = 0; m < k && m < rules.rollouts(); m++) {
      int rollouts = (rules.rollouts() - m + k - 1) / k;
      Rules own =
          new Rules(
              rollouts,
              rules.horizon(),
              rules.temperature(),
              rules.doneThreshold(),
              rules.dropout(),
              rules.commonDreams());
      Scores part = score(models.get(m), starts, candidates, own, seed + m, cancelled);
      for (int c = 0; c < candidates.length; c++) {
        for (int r = 0; r < rollouts; r++) {
          returns[c][m + r * k] = part.returns()[c][r];
        }
      }
      steps += part.dreamSteps();
    }
    double[] means = new double[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      means[c] = Arrays.stream(returns[c]).average().orElseThrow();
    }
    return new Scores(returns, means, steps);
  }

  /**
   * @throws CancellationException if {@code cancelled} turns true between time steps
   */
  public static Scores score(
      MdnRnnStep model,
      LatentPool starts,
      float[][] candidates,
      Rules rules,
      long seed,
      BooleanSupplier cancelled) {
    int n = candidates.length * rules.rollouts();
    DreamEnvironment dreams =
        new DreamEnvironment(
            model,
            starts,
            n,
            rules.commonDreams() ? rules.rollouts() : n,
            rules.temperature(),
            rules.doneThreshold(),
            rules.dropout(),
            seed);
    float[] features = dreams.reset();
    float[] actions = new float[n * Controllers.OUTPUTS];
    double[] returns = new double[n];
    boolean[] ended = new boolean[n];
    int running = n;
    long steps = 0;
    for (int t = 0; t < rules.horizon() && running > 0; t++) {
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("stopped in the middle of a generation");
      }
      Controllers.act(candidates, rules.rollouts(), features, actions);
      DreamEnvironment.Step step = dreams.step(actions);
      steps += running;
      for (int d = 0; d < n; d++) {
        if (!ended[d]) {
          returns[d] += step.rewards()[d];
          if (step.done()[d]) {
            ended[d] = true;
            running--;
          }
        }
      }
      features = step.features();
    }
    double[][] perCandidate = new double[candidates.length][rules.rollouts()];
    double[] means = new double[candidates.length];
    for (int d = 0; d < n; d++) {
      perCandidate[d / rules.rollouts()][d % rules.rollouts()] = returns[d];
      means[d / rules.rollouts()] += returns[d] / rules.rollouts();
    }
    return new Scores(perCandidate, means, steps);
  }
}
