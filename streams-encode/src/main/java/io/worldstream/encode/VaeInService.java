package io.worldstream.encode;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.VaeEncoder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VAE encoder every stream thread encodes with, replaceable while the app runs. A candidate is
 * loaded and checked ({@link VaeEncoder#load}: ports, shapes, a finite test encode) before it
 * replaces the one in service, and the swap waits for running batches, so each batch is encoded by
 * exactly one version and says so. A candidate that fails its checks is refused and the old one
 * stays. Thread-safe.
 */
public final class VaeInService implements AutoCloseable {

  /** What became of an offered model. */
  public sealed interface Offer {
    record Replaced(String previous, String version) implements Offer {}

    record Unchanged(String version) implements Offer {}

    record Refused(String candidate, String reason) implements Offer {}
  }

  private static final Logger log = LoggerFactory.getLogger(VaeInService.class);

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final int threads;
  private VaeEncoder encoder;
  private String source;

  private VaeInService(VaeEncoder encoder, String source, int threads) {
    this.encoder = encoder;
    this.source = source;
    this.threads = threads;
  }

  /**
   * Loads the first encoder.
   *
   * @param source where it came from, for log lines
   * @param threads ONNX Runtime intra-op threads
   * @throws IllegalArgumentException if it is not a working VAE encoder
   */
  public static VaeInService load(byte[] onnx, String source, int threads) {
    VaeEncoder encoder = VaeEncoder.load(onnx, threads);
    log.info(
        "VAE encoder {} from {} in service on {}",
        short12(encoder.version()),
        source,
        encoder.model().device());
    return new VaeInService(encoder, source, threads);
  }

  /** Runs {@code work} with the encoder in service; a replacement waits until it returns. */
  public <T> T apply(Function<VaeEncoder, T> work) {
    lock.readLock().lock();
    try {
      return work.apply(encoder);
    } finally {
      lock.readLock().unlock();
    }
  }

  public String version() {
    return apply(VaeEncoder::version);
  }

  /** Offers a new encoder: checked first, then swapped in between two batches, or refused. */
  public Offer offer(byte[] onnx, String from) {
    String candidate = ModelVersion.of(onnx);
    String current = version();
    if (candidate.equals(current)) {
      return new Offer.Unchanged(current);
    }
    VaeEncoder next;
    try {
      next = VaeEncoder.load(onnx, threads);
    } catch (RuntimeException e) {
      log.warn(
          "Refused VAE encoder {} from {}: {}; {} from {} stays in service",
          short12(candidate),
          from,
          e.getMessage(),
          short12(current),
          source);
      return new Offer.Refused(candidate, e.getMessage());
    }
    VaeEncoder previous;
    lock.writeLock().lock();
    try {
      previous = encoder;
      encoder = next;
      source = from;
    } finally {
      lock.writeLock().unlock();
    }
    previous.close();
    log.info(
        "VAE encoder {} from {} replaced {}; latents from here on carry the new version",
        short12(candidate),
        from,
        short12(current));
    return new Offer.Replaced(current, candidate);
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      encoder.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  static String short12(String version) {
    return version.substring(0, Math.min(12, version.length()));
  }
}
