package io.worldstream.train.learner;

/** The learner's counters for one lineage, kept in Flink state beside the weights. A Flink POJO. */
public class LearnerProgress {

  /** The last published version; 0 before the first. */
  public long version;

  public long gradientSteps;

  /** The gradient steps and trained steps of the last published version, whose model is saved. */
  public long savedSteps;

  public long savedStepsTrained;
  public long stepsTrained;
  public long episodes;
  public long sequences;

  /** Gradient steps owed to the data that came (train ratio × sequences, minus steps taken). */
  public double credit;

  public double trainLossSum;
  public long trainLossCount;
  public long lastPublishedAt;

  /** The replay buffer holds sequences numbered [replayHead, replayTail); likewise held out. */
  public long replayHead;

  public long replayTail;
  public long heldOutHead;
  public long heldOutTail;

  /** The processing time of the training timer registered, or 0. */
  public long timer;

  public LearnerProgress() {}

  long replaySize() {
    return replayTail - replayHead;
  }

  long heldOutSize() {
    return heldOutTail - heldOutHead;
  }
}
