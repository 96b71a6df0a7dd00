package io.worldstream.train.learner;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;

/**
 * How the learner trains and publishes.
 *
 * @param batchSize sequences per gradient step
 * @param trainRatio gradient steps per new training sequence (DreamerV3's train ratio, counted in
 *     sequences): 1 trains on every sequence about batchSize times on average
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
 * @param lineageExpiry how long a lineage may receive no sequences (its VAE superseded) before its
 *     replay, held-out set and model leave the learner's state; its version numbering is kept, and
 *     sequences that come after all start a new chain
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
    Duration lineageExpiry)
    implements java.io.Serializable {

  /** Dropout by default: Dropout's Dream Land's 0.1. */
  public static final double DEFAULT_DROPOUT = 0.1;

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
    InvalidSettingException.positive("lineage-expiry", "the lineage expiry", lineageExpiry);
  }

  /** The settings with lineages expiring after {@link #DEFAULT_LINEAGE_EXPIRY}. */
  public LearnerSettings(
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
      double dropout) {
    this(
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
        DEFAULT_LINEAGE_EXPIRY);
  }

  public static LearnerSettings defaults() {
    return new LearnerSettings(
        16, 1.0, 8_000, 10, 800, 200, Duration.ofSeconds(30), 1e-3f, 1.0, 0, 1, DEFAULT_DROPOUT);
  }
}
