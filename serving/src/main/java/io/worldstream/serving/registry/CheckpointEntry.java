package io.worldstream.serving.registry;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.LossParts;
import java.time.Instant;
import java.util.Optional;

/**
 * What the registry knows of one checkpoint without its model: its place in the lineage, the data
 * and losses behind it, where its record lies on {@code wm.checkpoints}, and whether its model's
 * bytes match its sha256.
 *
 * @param gradientSteps 0 when the writer did not count them
 * @param trainLossParts empty when the writer did not record them
 * @param problem why the model is corrupt, if it is; a corrupt model is never served
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
    Optional<String> problem) {

  static CheckpointEntry of(
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
        problem);
  }

  public boolean corrupt() {
    return problem.isPresent();
  }
}
