package io.worldstream.producers;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The world models a worker computes controller features with: the default VAE (loaded once) and
 * the MDN-RNN checkpoints named by controllers, loaded from their records after checking their
 * sha256. A controller whose VAE is not this worker's, or whose checkpoint is missing or corrupt,
 * gets no features, with the reason.
 */
final class WorldModels implements FeatureSource, AutoCloseable {

  private final LongFunction<Checkpoint> checkpoints;
  private final Map<Long, MdnRnnStep> loaded = new ConcurrentHashMap<>();
  private VaeEncoder encoder;

  /**
   * @param checkpoints a checkpoint of the followed lineage by version, or null
   */
  WorldModels(LongFunction<Checkpoint> checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public synchronized Features forController(ControllerUpdate controller) {
    if (encoder == null) {
      encoder = VaeEncoder.load(DefaultVae.encoder(), 1);
    }
    if (!encoder.version().equals(controller.getVaeVersion())) {
      return new Features.Missing(
          "it reads latents of VAE "
              + ModelVersion.shortForm(controller.getVaeVersion())
              + ", this worker encodes with "
              + ModelVersion.shortForm(encoder.version()));
    }
    long version = controller.getCheckpointVersion();
    MdnRnnStep rnn = loaded.get(version);
    if (rnn == null) {
      Checkpoint checkpoint = checkpoints.apply(version);
      if (checkpoint == null) {
        return new Features.Missing(
            "its checkpoint v"
                + version
                + " of "
                + controller.getLineage()
                + " is not on wm.checkpoints (yet)");
      }
      try {
        rnn =
            MdnRnnStep.load(
                ModelVersion.verified(checkpoint.getOnnxModel(), checkpoint.getSha256()), 1);
      } catch (IllegalArgumentException e) {
        return new Features.Missing(
            "its checkpoint v" + version + " is refused: " + e.getMessage());
      }
      loaded.put(version, rnn);
    }
    return new Features.Ready(new WorldModelFeatures(encoder, rnn));
  }

  @Override
  public synchronized void close() {
    loaded.values().forEach(MdnRnnStep::close);
    if (encoder != null) {
      encoder.close();
    }
  }
}
