package io.worldstream.service;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a list of services until Ctrl-C, a failure, or every one of them is done: prints each one's
 * effective configuration, starts them in order (each ready before the next starts), and stops the
 * started ones in reverse order, from the one shutdown hook on Ctrl-C. A failure ends the run with
 * one line naming the service that failed.
 */
public final class ServiceRunner {

  /** Exit status when a service failed. */
  public static final int FAILED = 1;

  /** How long each service gets to stop. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final long POLL_MS = 100;

  private final List<Service> services;
  private final PrintWriter out;
  private final PrintWriter err;
  private final List<Service> started = new ArrayList<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private boolean stopping;

  public ServiceRunner(List<Service> services, PrintWriter out, PrintWriter err) {
    if (services.isEmpty()) {
      throw new IllegalArgumentException("nothing to run");
    }
    this.services = List.copyOf(services);
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the services and returns the exit status: 0 when stopped by Ctrl-C or when every service
   * is done, {@link #FAILED} when one failed (after stopping the rest).
   */
  public int run() {
    Thread hook = new Thread(this::stopOnSignal, "worldstream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Optional<Failure> failure;
    try {
      failure = startAll();
      if (failure.isEmpty()) {
        say(out, "Press Ctrl-C to stop.");
        failure = watch();
      }
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it stopped everything
      }
    }
    // Last, after the services' own stopping lines.
    failure.ifPresent(f -> say(err, f.line()));
    return failure.isPresent() ? FAILED : 0;
  }

  /** Asks the run to end as Ctrl-C would; returns at once. */
  public void requestStop() {
    stopRequested.countDown();
  }

  private Optional<Failure> startAll() {
    for (Service service : services) {
      EffectiveConfiguration.lines(service.name(), service.configuration())
          .forEach(l -> say(out, l));
      synchronized (this) {
        if (stopping) {
          return Optional.empty();
        }
        started.add(service);
      }
      try {
        service.start();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (Exception e) {
        return Optional.of(new Failure(service, e));
      }
      while (!service.isReady() && !service.isDone()) {
        Optional<Throwable> failed = service.failure();
        if (failed.isPresent()) {
          return Optional.of(new Failure(service, failed.get()));
        }
        if (await(stopRequested)) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Failure> watch() {
    while (!await(stopRequested)) {
      for (Service service : services) {
        Optional<Throwable> failed = service.failure();
        if (failed.isPresent()) {
          return Optional.of(new Failure(service, failed.get()));
        }
      }
      if (services.stream().allMatch(Service::isDone)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private boolean await(CountDownLatch latch) {
    try {
      return latch.await(POLL_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void stopOnSignal() {
    requestStop();
    stopAll();
  }

  /**
   * Stops the started services in reverse order, once; a second caller (the shutdown hook and the
   * run itself) waits until the first has finished.
   */
  private synchronized void stopAll() {
    if (stopping) {
      return;
    }
    stopping = true;
    for (int i = started.size() - 1; i >= 0; i--) {
      Service service = started.get(i);
      say(out, "Stopping the " + service.name() + "…");
      try {
        service.stop(STOP_TIMEOUT);
      } catch (RuntimeException e) {
        say(err, service.name() + ": did not stop cleanly: " + message(e));
      }
    }
  }

  private static void say(PrintWriter to, String line) {
    to.println(line);
    to.flush();
  }

  static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private record Failure(Service service, Throwable cause) {
    String line() {
      return service.name() + " failed: " + message(cause);
    }
  }
}
