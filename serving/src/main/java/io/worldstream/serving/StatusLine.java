package io.worldstream.serving;

import io.worldstream.service.Service;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Prints the dashboard's address once and the pipeline's status line every few seconds. */
public final class StatusLine implements Service {
  private final Supplier<String> url;
  private final Supplier<String> line;
  private final Duration interval;
  private final Consumer<String> say;
  private ScheduledExecutorService ticker;

  public StatusLine(Serving serving, Duration interval, Consumer<String> say) {
    this(serving::url, serving::statusLine, interval, say);
  }

  StatusLine(Supplier<String> url, Supplier<String> line, Duration interval, Consumer<String> say) {
    this.url = url;
    this.line = line;
    this.interval = interval;
    this.say = say;
  }

  @Override
  public String name() {
    return "status";
  }

  @Override
  public void start() {
    say.accept("Dashboard: " + url.get() + "/");
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "status");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(
        this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One line; a failure says so and the next tick comes all the same. */
  private void tick() {
    try {
      say.accept("up: " + line.get());
    } catch (RuntimeException e) {
      say.accept("up: no status this time (" + e + ")");
    }
  }

  @Override
  public boolean isReady() {
    return ticker != null;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.empty();
  }

  @Override
  public void stop(Duration timeout) {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }

  @Override
  public Map<String, ?> configuration() {
    return Map.of("interval", interval.toString());
  }
}
