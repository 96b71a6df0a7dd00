package io.worldstream.serving.dream;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.runtime.LeasedModels;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeDecoder;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The models that requested dreams and episodes run on: checkpoints looked up in the registry,
 * their MDN-RNN sessions leased for as long as a request uses them (the two asked for last stay
 * loaded), and the bundled VAE's encoder and decoder, loaded when first needed. At most {@code
 * concurrent} requests run at once; more are turned away rather than queued.
 */
public final class ServedModels implements AutoCloseable {

  private final CheckpointRegistry registry;
  private final int threads;
  private final Semaphore slots;
  private final LeasedModels<MdnRnnStep> models = new LeasedModels<>(2);
  private String defaultVaeVersion;
  private VaeEncoder encoder;
  private VaeDecoder decoder;

  /**
   * @param threads ONNX Runtime threads of each session
   * @param concurrent requests that may run at once
   */
  public ServedModels(CheckpointRegistry registry, int threads, int concurrent) {
    this.registry = registry;
    this.threads = threads;
    this.slots = new Semaphore(concurrent);
  }

  CheckpointRegistry registry() {
    return registry;
  }

  /**
   * Runs {@code request} in one of the slots.
   *
   * @throws Refused of kind BUSY, saying {@code busy}, when every slot is taken
   */
  <T> T run(String busy, Supplier<T> request) {
    if (!slots.tryAcquire()) {
      throw new Refused(Refused.Kind.BUSY, busy);
    }
    try {
      return request.get();
    } finally {
      slots.release();
    }
  }

  /**
   * The asked-for checkpoint: a lineage (or the newest checkpoint's) and a version (or its newest).
   */
  CheckpointEntry checkpoint(Optional<String> asked, Optional<Long> version) {
    String lineage =
        asked
            .or(
                () ->
                    registry.lineages().stream()
                        .max(Comparator.comparing(CheckpointEntry::createdTime))
                        .map(CheckpointEntry::lineage))
            .orElseThrow(() -> new Refused(Refused.Kind.NOT_FOUND, "no checkpoint published yet"));
    return version
        .map(v -> registry.details(lineage, v).map(CheckpointRegistry.Details::checkpoint))
        .orElseGet(() -> registry.latest(lineage))
        .orElseThrow(
            () ->
                new Refused(
                    Refused.Kind.NOT_FOUND,
                    version.isPresent()
                        ? "no checkpoint v" + version.get() + " of '" + lineage + "'"
                        : "no lineage '" + lineage + "'"));
  }

  /** The checkpoint's MDN-RNN session, leased until the request is done with it. */
  LeasedModels<MdnRnnStep>.Lease model(CheckpointEntry checkpoint) {
    return models.lease(checkpoint.lineage() + "@" + checkpoint.version(), () -> load(checkpoint));
  }

  private MdnRnnStep load(CheckpointEntry checkpoint) {
    CheckpointRegistry.Model found = registry.model(checkpoint.lineage(), checkpoint.version());
    if (found instanceof CheckpointRegistry.Model.Corrupt corrupt) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "checkpoint v" + checkpoint.version() + " is corrupt: " + corrupt.reason());
    }
    if (found instanceof CheckpointRegistry.Model.Gone gone) {
      throw new Refused(
          Refused.Kind.NOT_FOUND,
          "checkpoint v" + checkpoint.version() + " is no longer kept: " + gone.reason());
    }
    if (!(found instanceof CheckpointRegistry.Model.Found ok)) {
      throw new Refused(Refused.Kind.NOT_FOUND, "checkpoint v" + checkpoint.version() + " is gone");
    }
    return MdnRnnStep.load(ok.onnx(), threads);
  }

  /** The encoder of the checkpoint's VAE, which must be the bundled one. */
  synchronized VaeEncoder encoder(CheckpointEntry checkpoint) {
    requireDefaultVae(checkpoint, "the controller reads latents of VAE ", "the default VAE");
    if (encoder == null) {
      encoder = VaeEncoder.load(DefaultVae.encoder(), threads);
    }
    return encoder;
  }

  /** Refuses, before any work, pictures of a checkpoint whose VAE is not the bundled one. */
  void checkDecodable(CheckpointEntry checkpoint) {
    requireDefaultVae(checkpoint, "frames need the decoder of VAE ", "the default VAE's");
  }

  /** Refuses (409) a checkpoint of another VAE than the bundled one, saying what needed it. */
  private void requireDefaultVae(CheckpointEntry checkpoint, String needed, String served) {
    String vae = defaultVaeVersion();
    if (!vae.equals(checkpoint.vaeVersion())) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          needed
              + ModelVersion.shortForm(checkpoint.vaeVersion())
              + "; this server has "
              + served
              + ", "
              + ModelVersion.shortForm(vae));
    }
  }

  /**
   * Decodes {@code steps} latents of the checkpoint's VAE into frames [steps, 3, 64, 64]; one
   * request at a time (one decoder session serves them all).
   */
  synchronized float[] decode(CheckpointEntry checkpoint, float[] latents, int steps) {
    checkDecodable(checkpoint);
    if (decoder == null) {
      decoder = VaeDecoder.load(DefaultVae.decoder(), threads);
    }
    return decoder.decode(latents, steps);
  }

  /** The bundled VAE's version, hashed once (the encoder is 17 MB). */
  private synchronized String defaultVaeVersion() {
    if (defaultVaeVersion == null) {
      defaultVaeVersion = ModelVersion.of(DefaultVae.encoder());
    }
    return defaultVaeVersion;
  }

  @Override
  public synchronized void close() {
    models.close();
    if (decoder != null) {
      decoder.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }
}
