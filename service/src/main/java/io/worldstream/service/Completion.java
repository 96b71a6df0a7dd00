package io.worldstream.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Work a service runs on a thread of its own until it finishes by itself (a worker's episodes, a
 * training run): its result once done, or the failure that ended it.
 *
 * @param <T> what the work returns
 */
public final class Completion<T> {

  private final Thread thread;
  private volatile T result;
  private volatile Throwable failure;

  private Completion(String name, boolean daemon, Callable<T> work) {
    this.thread =
        new Thread(
            () -> {
              try {
                result = work.call();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception | Error e) {
                failure = e;
              }
            },
            name);
    thread.setDaemon(daemon);
  }

  /**
   * Starts {@code work} on a new thread.
   *
   * @param daemon whether the JVM may exit while it runs (work that leaves nothing half-written)
   */
  public static <T> Completion<T> start(String name, boolean daemon, Callable<T> work) {
    Completion<T> completion = new Completion<>(name, daemon, work);
    completion.thread.start();
    return completion;
  }

  /** The result, once the work returned one. */
  public Optional<T> result() {
    return Optional.ofNullable(result);
  }

  /** What ended the work, if it failed. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Whether the work has ended, one way or another. */
  public boolean ended() {
    return !thread.isAlive();
  }

  /** Waits up to {@code timeout} for the work to end. */
  public void await(Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
