package io.worldstream.train.learner;

/** The learner's counters for one lineage, kept in Flink state beside the weights. A Flink POJO. */
public class LearnerProgress {

  /** The last published version; 0 before the first. */
  public long version;

  /**
   * The version this state's numbering continues: 0, or the newest version of the lineage found on
   * wm.checkpoints when the learner started without state. Its next version has no parent.
   */
  public long continuedFrom;

  public long gradientSteps;

  /**
   * Steps refused because their loss or gradients were not finite: they updated nothing, but the
   * next minibatch must be another one.
   */
  public long skippedSteps;

  /** The gradient steps and trained steps of the last published version, whose model is saved. */
  public long savedSteps;

  public long savedStepsTrained;
  public long stepsTrained;
  public long episodes;
  public long sequences;

  /**
   * Gradient steps owed to the data that came (train ratio × sequences, minus steps taken), at most
   * a replay buffer's worth.
   */
  public double credit;

  /** Sums of the loss parts over the minibatches since the last published version. */
  public double trainNllSum;

  public double trainRewardSum;
  public double trainDoneSum;
  public long trainLossCount;
  public long lastPublishedAt;

  /** The replay buffer holds sequences numbered [replayHead, replayTail); likewise held out. */
  public long replayHead;

  public long replayTail;

  /** Sequences numbered from here on have not been taken as fresh data into a minibatch yet. */
  public long freshFrom;

  /**
   * {@link #freshFrom} at the last published version. A restored learner discards the steps taken
   * since and starts again from here, so the sequences those steps took as fresh are taken again.
   */
  public long savedFreshFrom;

  public long heldOutHead;
  public long heldOutTail;

  /** The processing time of the training timer registered, or 0. */
  public long timer;

  /** When the last sequence came (processing time). */
  public long lastArrivalAt;

  /** The processing time of the expiry timer registered, or 0. */
  public long expiryTimer;

  public LearnerProgress() {}

  /** Owes {@code steps} more gradient steps, never more than {@code cap} in all. */
  void owe(double steps, double cap) {
    credit = Math.min(credit + steps, cap);
  }

  long replaySize() {
    return replayTail - replayHead;
  }

  long heldOutSize() {
    return heldOutTail - heldOutHead;
  }

  void addTrainLosses(double nll, double rewardMse, double doneBce) {
    trainNllSum += nll;
    trainRewardSum += rewardMse;
    trainDoneSum += doneBce;
    trainLossCount++;
  }

  /** The mean losses since the last published version (NaN before a step). */
  PublishedModel.Losses meanTrainLosses() {
    return new PublishedModel.Losses(
        trainNllSum / trainLossCount,
        trainRewardSum / trainLossCount,
        trainDoneSum / trainLossCount);
  }

  void resetTrainLosses() {
    trainNllSum = 0;
    trainRewardSum = 0;
    trainDoneSum = 0;
    trainLossCount = 0;
  }
}
