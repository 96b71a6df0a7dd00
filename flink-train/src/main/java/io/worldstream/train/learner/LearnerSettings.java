package io.worldstream.train.learner;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;

/**
 * How the learner trains and publishes.
 *
 * @param batchSize sequences per gradient step
 * @param trainRatio gradient steps per new training sequence (DreamerV3's train ratio, counted in
 *     sequences): 1 trains on every sequence about batchSize times on average. A ceiling: a learner
 *     slower than its data trains all the time and owes the rest, up to a replay's worth
 * @param replayCapacity the newest sequences kept to sample minibatches from
 * @param heldOutPercent share of episodes (by a hash of their id) never trained on, the validation
 *     set of every checkpoint
 * @param heldOutCapacity the newest held-out sequences kept for validation
 * @param checkpointEvery gradient steps between published checkpoints
 * @param checkpointInterval time between published checkpoints at most, if any step was taken
 * @param torchThreads PyTorch's intra-op threads for training. One by default: on a machine whose
 *     cores the encoder, workers and evaluator also use, PyTorch's OpenMP threads wait for each
 *     other at every operation, and a 16 × 32 step measured 1.6 s with two threads against 50 ms
 *     with one (docs/BENCHMARKS.md, "Learner")
 * @param dropout share of the LSTM's state dropped before the heads in training, one mask per
 *     sequence: trains the model the evaluator dreams in with one mask per rollout
 * @param averageDecay the published model is the running average of the trained weights with this
 *     decay per gradient step ({@link io.worldstream.train.WeightAverage}), which moves far less
 *     from one version to the next than the weights themselves; 0 publishes the weights as trained
 * @param lineageExpiry how long a lineage may receive no sequences (its VAE superseded) before its
 *     replay, held-out set and model leave the learner's state; its version numbering is kept, and
 *     sequences that come after all start a new chain
 * @param storedState each sequence that continues an episode starts from the memory the learner's
 *     model had at its first step, carried along the episode ({@link StoredStates}), instead of
 *     from zeros
 */
public record LearnerSettings(
    int batchSize,
    double trainRatio,
    int replayCapacity,
    int heldOutPercent,
    int heldOutCapacity,
    int checkpointEvery,
    Duration checkpointInterval,
    float learningRate,
    double maxGradNorm,
    long seed,
    int torchThreads,
    double dropout,
    double averageDecay,
    Duration lineageExpiry,
    boolean storedState)
    implements java.io.Serializable {

  /** Dropout by default: Dropout's Dream Land's 0.1. */
  public static final double DEFAULT_DROPOUT = 0.1;

  /**
   * The published model is the running average of the trained weights over about the last 500
   * gradient steps (about a checkpoint's worth and a half at the default 200 steps apart) by
   * default.
   */
  public static final double DEFAULT_AVERAGE_DECAY = 0.998;

  /** A lineage's state goes a day after its last sequence by default. */
  public static final Duration DEFAULT_LINEAGE_EXPIRY = Duration.ofDays(1);

  public LearnerSettings {
    InvalidSettingException.atLeast("batch-size", "the batch size", batchSize, 1);
    if (!(trainRatio > 0)) {
      throw new InvalidSettingException(
          "train-ratio", "the train ratio must be positive, not " + trainRatio);
    }
    InvalidSettingException.atLeast(
        "replay-capacity", "the replay buffer", replayCapacity, batchSize);
    if (heldOutPercent < 0 || heldOutPercent >= 100) {
      throw new InvalidSettingException(
          "held-out-percent", "the held-out share must be 0 to 99 %, not " + heldOutPercent);
    }
    InvalidSettingException.atLeast("held-out-capacity", "the held-out buffer", heldOutCapacity, 1);
    InvalidSettingException.atLeast(
        "checkpoint-every", "gradient steps between checkpoints", checkpointEvery, 1);
    InvalidSettingException.positive(
        "checkpoint-interval", "the checkpoint interval", checkpointInterval);
    InvalidSettingException.atLeast("torch-threads", "PyTorch threads", torchThreads, 1);
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new InvalidSettingException(
          "learning-rate", "the learning rate must be positive, not " + learningRate);
    }
    if (!(maxGradNorm > 0) || !Double.isFinite(maxGradNorm)) {
      throw new InvalidSettingException(
          "max-grad-norm", "the gradient norm bound must be positive, not " + maxGradNorm);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new InvalidSettingException(
          "dropout", "the dropout must lie in [0, 1), not " + dropout);
    }
    if (!(averageDecay >= 0 && averageDecay < 1)) {
      throw new InvalidSettingException(
          "average-decay", "the average's decay must lie in [0, 1), not " + averageDecay);
    }
    InvalidSettingException.positive("lineage-expiry", "the lineage expiry", lineageExpiry);
  }

  public static LearnerSettings defaults() {
    return builder().build();
  }

  /** The defaults, to change some of. */
  public static Builder builder() {
    return new Builder();
  }

  /** These settings, to change some of. */
  public Builder toBuilder() {
    return new Builder()
        .batchSize(batchSize)
        .trainRatio(trainRatio)
        .replayCapacity(replayCapacity)
        .heldOutPercent(heldOutPercent)
        .heldOutCapacity(heldOutCapacity)
        .checkpointEvery(checkpointEvery)
        .checkpointInterval(checkpointInterval)
        .learningRate(learningRate)
        .maxGradNorm(maxGradNorm)
        .seed(seed)
        .torchThreads(torchThreads)
        .dropout(dropout)
        .averageDecay(averageDecay)
        .lineageExpiry(lineageExpiry)
        .storedState(storedState);
  }

  /** Settings built a few at a time; {@link #build} checks them all. */
  public static final class Builder {
    private int batchSize = 16;
    private double trainRatio = 1.0;
    private int replayCapacity = 16_000;
    private int heldOutPercent = 10;
    private int heldOutCapacity = 800;
    private int checkpointEvery = 200;
    private Duration checkpointInterval = Duration.ofSeconds(30);
    private float learningRate = 1e-3f;
    private double maxGradNorm = 1.0;
    private long seed = 0;
    private int torchThreads = 1;
    private double dropout = DEFAULT_DROPOUT;
    private double averageDecay = DEFAULT_AVERAGE_DECAY;
    private Duration lineageExpiry = DEFAULT_LINEAGE_EXPIRY;
    private boolean storedState = false;

    private Builder() {}

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder trainRatio(double trainRatio) {
      this.trainRatio = trainRatio;
      return this;
    }

    public Builder replayCapacity(int replayCapacity) {
      this.replayCapacity = replayCapacity;
      return this;
    }

    public Builder heldOutPercent(int heldOutPercent) {
      this.heldOutPercent = heldOutPercent;
      return this;
    }

    public Builder heldOutCapacity(int heldOutCapacity) {
      this.heldOutCapacity = heldOutCapacity;
      return this;
    }

    public Builder checkpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
      return this;
    }

    public Builder checkpointInterval(Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
      return this;
    }

    public Builder learningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder maxGradNorm(double maxGradNorm) {
      this.maxGradNorm = maxGradNorm;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder torchThreads(int torchThreads) {
      this.torchThreads = torchThreads;
      return this;
    }

    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder averageDecay(double averageDecay) {
      this.averageDecay = averageDecay;
      return this;
    }

    public Builder lineageExpiry(Duration lineageExpiry) {
      this.lineageExpiry = lineageExpiry;
      return this;
    }

    public Builder storedState(boolean storedState) {
      this.storedState = storedState;
      return this;
    }

    public LearnerSettings build() {
      return new LearnerSettings(
          batchSize,
          trainRatio,
          replayCapacity,
          heldOutPercent,
          heldOutCapacity,
          checkpointEvery,
          checkpointInterval,
          learningRate,
          maxGradNorm,
          seed,
          torchThreads,
          dropout,
          averageDecay,
          lineageExpiry,
          storedState);
    }
  }
}
