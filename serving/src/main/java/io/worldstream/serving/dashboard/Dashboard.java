package io.worldstream.serving.dashboard;

import static io.worldstream.serving.http.JsonNumbers.finite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.http.staticfiles.Location;
import io.worldstream.records.EvaluationReport;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.RealEpisodes;
import io.worldstream.serving.http.JsonNumbers;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page a person keeps open while the pipeline runs ({@code /}), and its live feed: every few
 * seconds a snapshot of the newest lineage — checkpoints with their losses, CMA-ES generations with
 * dream and real returns, pipeline rates and ages — goes to every open page as a server-sent event
 * on {@code /api/events}, to at most {@link #VIEWERS} pages at once (more are answered 503). While
 * a page is open the server also pictures the loop once per change of checkpoint or controller (a
 * dream and a real episode, {@link Panels}) and every page fetches the same pictures from {@code
 * /api/dashboard/dream} and {@code /api/dashboard/episode}. Charts are drawn by uPlot, served from
 * its WebJar: nothing is fetched from the internet.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int POINTS = 500;

  /** Pages that may follow the live feed at once. */
  public static final int VIEWERS = 32;

  private final CheckpointRegistry registry;
  private final PipelineRates rates;
  private final Panels panels;
  private final Duration interval;
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final AtomicInteger viewers = new AtomicInteger();
  private final List<Snapshot.Rate> rateHistory = new ArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "dashboard");
            thread.setDaemon(true);
            return thread;
          });
  private volatile String last = "{}";
  private volatile Snapshot lastSnapshot = Snapshot.EMPTY;

  public Dashboard(
      CheckpointRegistry registry,
      Dreams dreams,
      RealEpisodes episodes,
      Map<String, Object> clientConfig,
      Duration interval) {
    this.registry = registry;
    this.panels = new Panels(dreams, episodes);
    this.rates = new PipelineRates(clientConfig);
    this.interval = interval;
  }

  public void register(JavalinConfig config) {
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = "/io/worldstream/serving/dashboard";
          files.location = Location.CLASSPATH;
        });
    config.staticFiles.enableWebjars();
    config.routes.get("/api/dashboard/dream", ctx -> answer(ctx, Panels.Shown::dream));
    config.routes.get("/api/dashboard/episode", ctx -> answer(ctx, Panels.Shown::episode));
    SseHandler feed = new SseHandler(this::follow);
    config.routes.get(
        "/api/events",
        ctx -> {
          String accept = ctx.header("Accept");
          if (accept == null || !accept.contains("text/event-stream")) {
            feed.handle(ctx); // not a feed request: the handler answers it as such
            return;
          }
          if (viewers.incrementAndGet() > VIEWERS) {
            viewers.decrementAndGet();
            throw new HttpResponseException(
                503,
                "the live feed already has "
                    + VIEWERS
                    + " viewers; close a dashboard page or try again later",
                Map.of());
          }
          try {
            feed.handle(ctx);
          } catch (RuntimeException e) {
            viewers.decrementAndGet();
            throw e;
          }
        });
  }

  private void answer(Context ctx, Function<Panels.Shown, Panels.Answer> panel) {
    Panels.Answer answer =
        panels
            .shown()
            .map(panel)
            .orElseThrow(
                () ->
                    new NotFoundResponse(
                        "no pictures yet: the server draws them while a dashboard page is open"
                            + " and a checkpoint is out"));
    ctx.status(answer.status()).json(answer.body());
  }

  /** A page that opened the feed: it gets the latest snapshot now and every new one. */
  private void follow(SseClient client) {
    client.keepAlive();
    clients.add(client);
    client.onClose(() -> leave(client));
    client.sendEvent("snapshot", last);
  }

  /** Frees a closed page's place, once however often it is told. */
  private void leave(SseClient client) {
    if (clients.remove(client)) {
      viewers.decrementAndGet();
    }
  }

  public void start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      Snapshot snapshot = snapshot();
      lastSnapshot = snapshot;
      if (viewers.get() > 0) {
        subject(snapshot).ifPresent(panels::want);
      }
      last = JSON.writeValueAsString(snapshot);
      for (SseClient client : clients) {
        if (client.terminated()) {
          leave(client);
        } else {
          client.sendEvent("snapshot", last);
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("Dashboard snapshot failed: {}", e.getMessage());
    }
  }

  /** The newest lineage as the page draws it. */
  Snapshot snapshot() {
    long now = System.currentTimeMillis();
    String time = Instant.ofEpochMilli(now).toString();
    PipelineRates.Rates r = rates.look();
    rateHistory.add(new Snapshot.Rate(now / 1000.0, r.stepsPerSecond(), r.latentsPerSecond()));
    if (rateHistory.size() > POINTS) {
      rateHistory.remove(0);
    }
    List<Snapshot.Rate> history = List.copyOf(rateHistory);
    Optional<CheckpointEntry> newest =
        registry.lineages().stream().max(Comparator.comparing(CheckpointEntry::createdTime));
    if (newest.isEmpty()) {
      return new Snapshot(
          time, history, null, null, null, List.of(), List.of(), null, null, panelsKey(), null);
    }
    CheckpointEntry latest = newest.get();
    List<CheckpointEntry> versions =
        registry
            .versions(latest.lineage(), Optional.empty(), Optional.empty(), Optional.empty())
            .orElse(List.of());
    List<Snapshot.Checkpoint> checkpoints =
        versions.subList(Math.max(0, versions.size() - POINTS), versions.size()).stream()
            .map(
                e ->
                    new Snapshot.Checkpoint(
                        e.version(),
                        finite(e.trainLoss()),
                        e.heldOutLoss().map(JsonNumbers::finite).orElse(null),
                        e.corrupt()))
            .toList();
    List<EvaluationReport> reports = registry.evaluations(latest.lineage());
    List<Snapshot.Evaluation> evaluations = new ArrayList<>();
    for (int i = Math.max(0, reports.size() - POINTS); i < reports.size(); i++) {
      EvaluationReport report = reports.get(i);
      evaluations.add(
          new Snapshot.Evaluation(
              i,
              report.getCheckpointVersion(),
              report.getGeneration(),
              finite(report.getBestReturn()),
              finite(report.getMeanReturn()),
              report.getRealReturn() == null ? null : finite(report.getRealReturn()),
              report.getRealReturnSd() == null ? null : finite(report.getRealReturnSd()),
              report.getRealEpisodes(),
              report.getControllerVersion(),
              finite(report.getControllerDreamReturn())));
    }
    Long evaluated =
        reports.isEmpty() ? null : reports.get(reports.size() - 1).getCheckpointVersion();
    return new Snapshot(
        time,
        history,
        latest.lineage(),
        latest.version(),
        (now - latest.createdTime().toEpochMilli()) / 1000.0,
        checkpoints,
        evaluations,
        evaluated == null ? null : latest.version() - evaluated,
        evaluated,
        panelsKey(),
        registry
            .bestController(latest.lineage())
            .map(c -> new Snapshot.Best(c.getVersion(), finite(c.getRealReturn())))
            .orElse(null));
  }

  private String panelsKey() {
    return panels.shown().map(shown -> shown.subject().key()).orElse(null);
  }

  /**
   * What the pictures should show: the checkpoint the search last evaluated (else the newest),
   * driven by the controller the workers act with (brownian before the first).
   */
  private static Optional<Panels.Subject> subject(Snapshot snapshot) {
    if (snapshot.lineage() == null) {
      return Optional.empty();
    }
    List<Snapshot.Evaluation> evaluations = snapshot.evaluations();
    Long controller =
        evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1).controllerVersion();
    long version =
        snapshot.evaluatedVersion() != null
            ? snapshot.evaluatedVersion()
            : snapshot.latestVersion();
    return Optional.of(new Panels.Subject(snapshot.lineage(), version, controller));
  }

  /**
   * The pipeline in one line, from the latest snapshot: env steps/s, latents/s, the newest
   * checkpoint with its age and losses, the dream return of the controller the workers act with and
   * the real return (mean ± sd over the selection tracks) of the newest controller checked.
   */
  public String statusLine() {
    return lastSnapshot.statusLine();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      // The ticker may be inside the rates' consumer, which only one thread may use at a time.
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clients.forEach(SseClient::close);
    panels.close();
    rates.close();
  }
}
