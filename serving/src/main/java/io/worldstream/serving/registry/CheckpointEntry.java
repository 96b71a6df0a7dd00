package io.worldstream.serving.registry;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.LossParts;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * What the registry knows of one checkpoint without its model: its place in the lineage, the data
 * and losses behind it, where its record lies on {@code wm.checkpoints}, and whether its model's
 * bytes match its sha256.
 *
 * @param gradientSteps 0 when the writer did not count them
 * @param trainLossParts empty when the writer did not record them
 * @param modelBytes the model's size; 0 when the registry only ever saw the version thinned
 * @param problem why the model is corrupt, if it is; a corrupt model is never served
 * @param thinned why the model is no longer kept, if it was thinned; the metadata stays
 */
public record CheckpointEntry(
    String lineage,
    long version,
    Optional<Long> parentVersion,
    String vaeVersion,
    long stepsTrained,
    long episodesTrained,
    long gradientSteps,
    double trainLoss,
    Optional<Double> heldOutLoss,
    Optional<LossParts> trainLossParts,
    Optional<LossParts> heldOutLossParts,
    Instant createdTime,
    String sha256,
    int modelBytes,
    int partition,
    long offset,
    Optional<String> problem,
    Optional<String> thinned) {

  /** What a checkpoint record lying at this place on {@code wm.checkpoints} says. */
  public static CheckpointEntry of(
      Checkpoint record, int partition, long offset, Optional<String> problem) {
    return new CheckpointEntry(
        record.getLineage(),
        record.getVersion(),
        Optional.ofNullable(record.getParentVersion()),
        record.getVaeVersion(),
        record.getStepsTrained(),
        record.getEpisodesTrained(),
        record.getGradientSteps(),
        record.getTrainLoss(),
        Optional.ofNullable(record.getHeldOutLoss()),
        Optional.ofNullable(record.getTrainLossParts()),
        Optional.ofNullable(record.getHeldOutLossParts()),
        record.getCreatedTime(),
        record.getSha256(),
        record.getOnnxModel().remaining(),
        partition,
        offset,
        problem,
        Optional.ofNullable(record.getThinned()));
  }

  public boolean corrupt() {
    return problem.isPresent();
  }

  /** This entry once its model is thinned: the same metadata, the model gone. */
  CheckpointEntry thinnedBecause(String reason) {
    return new CheckpointEntry(
        lineage,
        version,
        parentVersion,
        vaeVersion,
        stepsTrained,
        episodesTrained,
        gradientSteps,
        trainLoss,
        heldOutLoss,
        trainLossParts,
        heldOutLossParts,
        createdTime,
        sha256,
        modelBytes,
        partition,
        offset,
        problem,
        Optional.of(reason));
  }

  /**
   * The record that thins this version: its metadata published again without the model, which
   * compaction keeps in place of the record that carried it.
   */
  Checkpoint thinnedRecord(String reason) {
    return Checkpoint.newBuilder()
        .setLineage(lineage)
        .setVersion(version)
        .setParentVersion(parentVersion.orElse(null))
        .setVaeVersion(vaeVersion)
        .setStepsTrained(stepsTrained)
        .setEpisodesTrained(episodesTrained)
        .setGradientSteps(gradientSteps)
        .setTrainLoss(trainLoss)
        .setHeldOutLoss(heldOutLoss.orElse(null))
        .setTrainLossParts(trainLossParts.orElse(null))
        .setHeldOutLossParts(heldOutLossParts.orElse(null))
        .setCreatedTime(createdTime)
        .setSha256(sha256)
        .setOnnxModel(ByteBuffer.allocate(0))
        .setThinned(reason)
        .build();
  }
}
