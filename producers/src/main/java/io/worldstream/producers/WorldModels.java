package io.worldstream.producers;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import java.util.function.LongFunction;

/**
 * The world models a worker computes controller features with: the default VAE (loaded once) and
 * the MDN-RNN checkpoints named by controllers, loaded from their records after checking their
 * sha256 and shared by the worker's environments, whose requests to a model at the same time run as
 * one batched call. Only the two most recently used stay loaded once no environment acts with them,
 * so a worker that runs for days keeps a bounded number of models. A controller whose VAE is not
 * this worker's, or whose checkpoint is missing or corrupt, gets no features, with the reason.
 */
final class WorldModels implements FeatureSource, AutoCloseable {

  /** Why a checkpoint cannot be loaded. */
  private static final class Unavailable extends RuntimeException {
    Unavailable(String reason) {
      super(reason, null, false, false);
    }
  }

  private final LongFunction<Checkpoint> checkpoints;
  private final LeasedModels<SharedModels.Step> loaded = new LeasedModels<>(2);
  private VaeEncoder encoder;
  private SharedModels.Encoder encodes;

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
      encodes = new SharedModels.Encoder(encoder);
    }
    if (!encoder.version().equals(controller.getVaeVersion())) {
      return new Features.Missing(
          "it reads latents of VAE "
              + ModelVersion.shortForm(controller.getVaeVersion())
              + ", this worker encodes with "
              + ModelVersion.shortForm(encoder.version()));
    }
    long version = controller.getCheckpointVersion();
    try {
      return new Features.Ready(
          new WorldModelFeatures(
              encodes, loaded.lease(Long.toString(version), () -> load(controller))));
    } catch (Unavailable e) {
      return new Features.Missing(e.getMessage());
    }
  }

  private SharedModels.Step load(ControllerUpdate controller) {
    long version = controller.getCheckpointVersion();
    Checkpoint checkpoint = checkpoints.apply(version);
    if (checkpoint == null) {
      throw new Unavailable(
          "its checkpoint v"
              + version
              + " of "
              + controller.getLineage()
              + " is not on wm.checkpoints (yet)");
    }
    try {
      return new SharedModels.Step(
          MdnRnnStep.load(
              ModelVersion.verified(checkpoint.getOnnxModel(), checkpoint.getSha256()), 1));
    } catch (IllegalArgumentException e) {
      throw new Unavailable("its checkpoint v" + version + " is refused: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    loaded.close();
    if (encoder != null) {
      encoder.close();
    }
  }
}
