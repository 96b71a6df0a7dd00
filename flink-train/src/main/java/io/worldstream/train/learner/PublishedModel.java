package io.worldstream.train.learner;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.LossParts;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A checkpoint as the learner emits it inside Flink (a POJO, so no Avro type information is needed
 * in the job); {@link #toRecord()} is the {@link Checkpoint} record published to wm.checkpoints.
 */
public class PublishedModel {

  public String lineage;
  public long version;

  /** Null for the first version of a lineage. */
  public Long parentVersion;

  public String vaeVersion;
  public long stepsTrained;
  public long episodesTrained;
  public long gradientSteps;

  /** Mean losses of the minibatches trained since the parent version. */
  public Losses train;

  /** Losses on the held-out episodes; null while none has been held out. */
  public Losses heldOut;

  public long createdTime;
  public String sha256;
  public byte[] onnx;

  public PublishedModel() {}

  public Checkpoint toRecord() {
    return Checkpoint.newBuilder()
        .setLineage(lineage)
        .setVersion(version)
        .setParentVersion(parentVersion)
        .setVaeVersion(vaeVersion)
        .setStepsTrained(stepsTrained)
        .setEpisodesTrained(episodesTrained)
        .setGradientSteps(gradientSteps)
        .setTrainLoss(train.total())
        .setTrainLossParts(train.toRecord())
        .setHeldOutLoss(heldOut == null ? null : heldOut.total())
        .setHeldOutLossParts(heldOut == null ? null : heldOut.toRecord())
        .setCreatedTime(Instant.ofEpochMilli(createdTime))
        .setSha256(sha256)
        .setOnnxModel(ByteBuffer.wrap(onnx))
        .build();
  }

  @Override
  public String toString() {
    return lineage + " v" + version;
  }

  /** An MDN-RNN loss in its three parts. A Flink POJO. */
  public static class Losses {

    /** Mixture NLL of the next latent per latent dimension. */
    public double nll;

    public double rewardMse;
    public double doneBce;

    public Losses() {}

    public Losses(double nll, double rewardMse, double doneBce) {
      this.nll = nll;
      this.rewardMse = rewardMse;
      this.doneBce = doneBce;
    }

    public double total() {
      return nll + rewardMse + doneBce;
    }

    LossParts toRecord() {
      return new LossParts(nll, rewardMse, doneBce);
    }
  }
}
