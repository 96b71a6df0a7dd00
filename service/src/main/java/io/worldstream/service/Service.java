package io.worldstream.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A part of Worldstream that runs until it is stopped or has done its work: the broker, the
 * encoder, a worker, the learner, serving. {@link ServiceRunner} starts a list of them in order,
 * watches them, and stops them in reverse order.
 *
 * <p>A service is started once and stopped once. {@link #start} may return before the service is at
 * work; the runner waits for {@link #isReady} before it starts the next one, so a service can rely
 * on those started before it.
 */
public interface Service {

  /** A short lower-case name for logs and errors, e.g. "broker" or "encoder". */
  String name();

  /** Begins the work; throws if it cannot start (the message says why, in the service's terms). */
  void start() throws Exception;

  /** Whether the service is at work (e.g. the broker answers, the encoder has its partitions). */
  boolean isReady();

  /** The failure that stopped this service while it ran, if one did. */
  Optional<Throwable> failure();

  /**
   * Whether the service finished its work by itself (a worker that ran its episodes). A service
   * that runs until stopped never is.
   */
  default boolean isDone() {
    return false;
  }

  /**
   * Stops the work and releases everything the service holds, returning within about {@code
   * timeout}; what must survive (offsets, state, waiting records) is left for the next start.
   */
  void stop(Duration timeout);

  /** The settings the service runs with, by name, printed at start-up (secrets are masked). */
  Map<String, ?> configuration();
}
