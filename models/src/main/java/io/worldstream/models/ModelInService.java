package io.worldstream.models;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model that work is done with while a newer one may arrive: the encoder's VAE, the evaluator's
 * and the dream API's MDN-RNN. A candidate is loaded and checked by the loader (ports, shapes, a
 * finite test run) before it replaces the one in service, and the swap waits for running work, so
 * each use sees exactly one version. A candidate that fails its checks is refused with a log line
 * and the old one stays. Versions are the sha256 of the model's bytes ({@link ModelVersion}).
 * Thread-safe.
 *
 * @param <M> the loaded model; closed when replaced or when this closes
 */
public final class ModelInService<M extends AutoCloseable> implements AutoCloseable {

  /** What became of an offered model. */
  public sealed interface Offer {
    record Replaced(String previous, String version) implements Offer {}

    record Unchanged(String version) implements Offer {}

    record Refused(String candidate, String reason) implements Offer {}
  }

  private static final Logger log = LoggerFactory.getLogger(ModelInService.class);

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final String kind;
  private final Function<byte[], M> loader;
  private M model;
  private String version;
  private String source;

  private ModelInService(
      String kind, Function<byte[], M> loader, M model, String version, String source) {
    this.kind = kind;
    this.loader = loader;
    this.model = model;
    this.version = version;
    this.source = source;
  }

  /**
   * Loads the first model.
   *
   * @param kind what the model is, for log lines ("VAE encoder")
   * @param loader loads and checks a model, throwing IllegalArgumentException if it is unusable
   * @param source where the bytes came from, for log lines
   * @throws IllegalArgumentException if it is not a usable model
   */
  public static <M extends AutoCloseable> ModelInService<M> load(
      String kind, Function<byte[], M> loader, byte[] bytes, String source) {
    M model = loader.apply(bytes);
    String version = ModelVersion.of(bytes);
    log.info("{} {} from {} in service", kind, ModelVersion.shortForm(version), source);
    return new ModelInService<>(kind, loader, model, version, source);
  }

  /** Runs {@code work} with the model in service; a replacement waits until it returns. */
  public <T> T apply(Function<M, T> work) {
    lock.readLock().lock();
    try {
      return work.apply(model);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The version in service. */
  public String version() {
    lock.readLock().lock();
    try {
      return version;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Offers a new model: checked first, then swapped in between two uses, or refused. */
  public Offer offer(byte[] bytes, String from) {
    String candidate = ModelVersion.of(bytes);
    String current = version();
    if (candidate.equals(current)) {
      return new Offer.Unchanged(current);
    }
    M next;
    try {
      next = loader.apply(bytes);
    } catch (RuntimeException e) {
      log.warn(
          "Refused {} {} from {}: {}; {} from {} stays in service",
          kind,
          ModelVersion.shortForm(candidate),
          from,
          e.getMessage(),
          ModelVersion.shortForm(current),
          source);
      return new Offer.Refused(candidate, e.getMessage());
    }
    M previous;
    lock.writeLock().lock();
    try {
      previous = model;
      model = next;
      version = candidate;
      source = from;
    } finally {
      lock.writeLock().unlock();
    }
    closeQuietly(previous);
    log.info(
        "{} {} from {} replaced {}",
        kind,
        ModelVersion.shortForm(candidate),
        from,
        ModelVersion.shortForm(current));
    return new Offer.Replaced(current, candidate);
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closeQuietly(model);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void closeQuietly(M m) {
    try {
      m.close();
    } catch (Exception e) {
      log.warn("Closing {} {}: {}", kind, ModelVersion.shortForm(version), e.toString());
    }
  }
}
