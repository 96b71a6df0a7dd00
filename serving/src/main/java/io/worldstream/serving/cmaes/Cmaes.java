package io.worldstream.serving.cmaes;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The (μ/μ_w, λ)-CMA-ES of Hansen's "The CMA Evolution Strategy: A Tutorial" (2016), with its
 * default parameters, as ask/tell: {@link #ask} samples a whole population, the caller evaluates it
 * however it likes (in one batched call), {@link #tell} updates the distribution with all costs.
 * Lower cost is better.
 *
 * <p>The eigen-decomposition of C is updated lazily, every {@code λ / ((c₁ + c_μ) n 10)}
 * generations, as the tutorial suggests. Sampling is reproducible: generation g draws from a stream
 * seeded by (seed, g), so a search {@link #resume resumed} from its {@link #state} continues
 * exactly as it would have. Not thread-safe.
 */
public final class Cmaes {

  /**
   * Everything a search needs to continue, as plain arrays.
   *
   * @param covariance n × n, row-major
   */
  public record State(
      long seed,
      int populationSize,
      int generation,
      long evaluations,
      double sigma,
      double[] mean,
      double[] covariance,
      double[] pathSigma,
      double[] pathCovariance) {}

  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double muEff;
  private final double cSigma;
  private final double dSigma;
  private final double cC;
  private final double c1;
  private final double cMu;
  private final double chiN;
  private final long seed;

  private final double[] mean;
  private double sigma;
  private final DMatrixRMaj covariance;
  private final double[] pathSigma;
  private final double[] pathC;
  private int generation;
  private long evaluations;

  /** B·D (columns: eigenvectors scaled by √eigenvalue) and B·D⁻¹·Bᵀ = C^-1/2. */
  private final DMatrixRMaj bd;

  private final DMatrixRMaj invSqrtC;
  private boolean decomposed;

  /** The last {@link #ask}: the steps y = B·D·z, λ × n. */
  private DMatrixRMaj steps;

  private Cmaes(long seed, int populationSize, double[] mean, double sigma) {
    if (mean.length < 1) {
      throw new IllegalArgumentException("CMA-ES needs at least one dimension");
    }
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("the step size σ must be positive, not " + sigma);
    }
    if (populationSize < 2) {
      throw new IllegalArgumentException(
          "the population needs at least 2 candidates, not " + populationSize);
    }
    this.n = mean.length;
    this.lambda = populationSize;
    this.mu = lambda / 2;
    this.seed = seed;
    this.weights = new double[mu];
    double sum = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
      sum += weights[i];
    }
    double sumSquares = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] /= sum;
      sumSquares += weights[i] * weights[i];
    }
    this.muEff = 1 / sumSquares;
    this.cSigma = (muEff + 2) / (n + muEff + 5);
    this.dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
    this.cC = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    this.c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
    this.cMu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
    this.chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    this.mean = mean.clone();
    this.sigma = sigma;
    this.covariance = CommonOps_DDRM.identity(n);
    this.pathSigma = new double[n];
    this.pathC = new double[n];
    this.bd = new DMatrixRMaj(n, n);
    this.invSqrtC = new DMatrixRMaj(n, n);
  }

  /** A new search around {@code mean} with step size σ and the tutorial's population size. */
  public static Cmaes start(double[] mean, double sigma, long seed) {
    return start(mean, sigma, defaultPopulationSize(mean.length), seed);
  }

  /** A new search around {@code mean} with step size σ and λ candidates per generation. */
  public static Cmaes start(double[] mean, double sigma, int populationSize, long seed) {
    return new Cmaes(seed, populationSize, mean, sigma);
  }

  /** A search continued from {@link #state}. */
  public static Cmaes resume(State state) {
    int n = state.mean().length;
    if (state.covariance().length != n * n
        || state.pathSigma().length != n
        || state.pathCovariance().length != n) {
      throw new IllegalArgumentException("a CMA-ES state's arrays do not fit its dimension " + n);
    }
    Cmaes search = new Cmaes(state.seed(), state.populationSize(), state.mean(), state.sigma());
    search.covariance.setData(state.covariance().clone());
    System.arraycopy(state.pathSigma(), 0, search.pathSigma, 0, n);
    System.arraycopy(state.pathCovariance(), 0, search.pathC, 0, n);
    search.generation = state.generation();
    search.evaluations = state.evaluations();
    return search;
  }

  /** 4 + ⌊3 ln n⌋, the tutorial's default. */
  public static int defaultPopulationSize(int dimension) {
    return 4 + (int) Math.floor(3 * Math.log(dimension));
  }

  /**
   * Samples the next generation: λ candidates m + σ·B·D·z with z ~ N(0, I).
   *
   * @return λ rows of n parameters
   */
  public double[][] ask() {
    decomposeIfDue();
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (generation + 1)));
    DMatrixRMaj z = new DMatrixRMaj(lambda, n);
    double[] zs = z.getData();
    for (int i = 0; i < zs.length; i++) {
      zs[i] = random.nextGaussian();
    }
    steps = new DMatrixRMaj(lambda, n);
    CommonOps_DDRM.multTransB(z, bd, steps);
    double[][] candidates = new double[lambda][n];
    for (int k = 0; k < lambda; k++) {
      for (int i = 0; i < n; i++) {
        candidates[k][i] = mean[i] + sigma * steps.get(k, i);
      }
    }
    return candidates;
  }

  /**
   * Updates mean, paths, step size and covariance from the costs of the last {@link #ask}'s
   * candidates (lower is better).
   */
  public void tell(double[] costs) {
    if (steps == null) {
      throw new IllegalStateException("tell needs the population of an ask before it");
    }
    if (costs.length != lambda) {
      throw new IllegalArgumentException("expected " + lambda + " costs, got " + costs.length);
    }
    for (double cost : costs) {
      if (Double.isNaN(cost)) {
        throw new IllegalArgumentException("a candidate's cost is NaN");
      }
    }
    Integer[] order = new Integer[lambda];
    for (int k = 0; k < lambda; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Double.compare(costs[a], costs[b]));

    double[] yw = new double[n];
    DMatrixRMaj weighted = new DMatrixRMaj(mu, n);
    for (int i = 0; i < mu; i++) {
      int k = order[i];
      double root = Math.sqrt(weights[i]);
      for (int j = 0; j < n; j++) {
        double y = steps.get(k, j);
        yw[j] += weights[i] * y;
        weighted.set(i, j, root * y);
      }
    }
    for (int j = 0; j < n; j++) {
      mean[j] += sigma * yw[j];
    }

    double[] whitened = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += invSqrtC.get(i, j) * yw[j];
      }
      whitened[i] = sum;
    }
    double sigmaGain = Math.sqrt(cSigma * (2 - cSigma) * muEff);
    double normSquared = 0;
    for (int i = 0; i < n; i++) {
      pathSigma[i] = (1 - cSigma) * pathSigma[i] + sigmaGain * whitened[i];
      normSquared += pathSigma[i] * pathSigma[i];
    }
    double norm = Math.sqrt(normSquared);
    boolean stalled =
        norm / Math.sqrt(1 - Math.pow(1 - cSigma, 2.0 * (generation + 1)))
            >= (1.4 + 2.0 / (n + 1)) * chiN;
    double hSigma = stalled ? 0 : 1;
    double cGain = Math.sqrt(cC * (2 - cC) * muEff);
    for (int i = 0; i < n; i++) {
      pathC[i] = (1 - cC) * pathC[i] + hSigma * cGain * yw[i];
    }

    double deltaH = (1 - hSigma) * cC * (2 - cC);
    CommonOps_DDRM.scale(1 + c1 * deltaH - c1 - cMu, covariance);
    double[] c = covariance.getData();
    for (int i = 0; i < n; i++) {
      double pi = c1 * pathC[i];
      for (int j = 0; j < n; j++) {
        c[i * n + j] += pi * pathC[j];
      }
    }
    DMatrixRMaj rankMu = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransA(weighted, weighted, rankMu);
    CommonOps_DDRM.addEquals(covariance, cMu, rankMu);

    sigma *= Math.exp((cSigma / dSigma) * (norm / chiN - 1));
    generation++;
    evaluations += lambda;
    steps = null;
  }

  /** Generations between eigen-decompositions: λ / ((c₁ + c_μ) n 10), at least 1. */
  int decompositionPeriod() {
    return Math.max(1, (int) Math.ceil(lambda / ((c1 + cMu) * n * 10)));
  }

  /**
   * Decomposes C = B·D²·Bᵀ on the generations the period names, and on the first ask of a new or
   * resumed search.
   */
  private void decomposeIfDue() {
    if (decomposed && generation % decompositionPeriod() != 0) {
      return;
    }
    decomposed = true;
    double[] c = covariance.getData();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double symmetric = 0.5 * (c[i * n + j] + c[j * n + i]);
        c[i * n + j] = symmetric;
        c[j * n + i] = symmetric;
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eigen.decompose(covariance.copy())) {
      throw new IllegalStateException(
          "the covariance matrix could not be decomposed at generation " + generation);
    }
    DMatrixRMaj vectors = new DMatrixRMaj(n, n);
    DMatrixRMaj whitening = new DMatrixRMaj(n, n);
    for (int k = 0; k < n; k++) {
      double value = Math.max(eigen.getEigenvalue(k).getReal(), 1e-20);
      DMatrixRMaj vector = eigen.getEigenVector(k);
      double root = Math.sqrt(value);
      for (int i = 0; i < n; i++) {
        vectors.set(i, k, vector.get(i));
        bd.set(i, k, vector.get(i) * root);
        whitening.set(i, k, vector.get(i) / root);
      }
    }
    CommonOps_DDRM.multTransB(whitening, vectors, invSqrtC);
  }

  public State state() {
    if (steps != null) {
      throw new IllegalStateException("a state is taken between generations, not after an ask");
    }
    return new State(
        seed,
        lambda,
        generation,
        evaluations,
        sigma,
        mean.clone(),
        covariance.getData().clone(),
        pathSigma.clone(),
        pathC.clone());
  }

  public int dimension() {
    return n;
  }

  public int populationSize() {
    return lambda;
  }

  /** Generations told so far. */
  public int generation() {
    return generation;
  }

  public long evaluations() {
    return evaluations;
  }

  public double sigma() {
    return sigma;
  }

  public double[] mean() {
    return mean.clone();
  }
}
