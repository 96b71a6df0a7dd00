package io.worldstream.train.learner;

import io.worldstream.records.Checkpoint;
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
  public double trainLoss;

  /** Null while no episode has been held out. */
  public Double heldOutLoss;

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
        .setTrainLoss(trainLoss)
        .setHeldOutLoss(heldOutLoss)
        .setCreatedTime(Instant.ofEpochMilli(createdTime))
        .setSha256(sha256)
        .setOnnxModel(ByteBuffer.wrap(onnx))
        .build();
  }

  @Override
  public String toString() {
    return lineage + " v" + version;
  }
}
