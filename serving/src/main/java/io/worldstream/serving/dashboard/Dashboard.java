package io.worldstream.serving.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.worldstream.records.EvaluationReport;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page a person keeps open while the pipeline runs ({@code /}), and its live feed: every few
 * seconds a snapshot of the newest lineage — checkpoints with their losses, CMA-ES generations with
 * dream and real returns, pipeline rates and ages — goes to every open page as a server-sent event
 * on {@code /api/events}. Charts are drawn by uPlot, served from its WebJar: nothing is fetched
 * from the internet.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int POINTS = 500;

  private final CheckpointRegistry registry;
  private final PipelineRates rates;
  private final Duration interval;
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final List<Map<String, Object>> rateHistory = new ArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "dashboard");
            thread.setDaemon(true);
            return thread;
          });
  private volatile String last = "{}";
  private volatile Map<String, Object> lastSnapshot = Map.of();

  public Dashboard(
      CheckpointRegistry registry, Map<String, Object> clientConfig, Duration interval) {
    this.registry = registry;
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
    config.routes.sse(
        "/api/events",
        client -> {
          client.keepAlive();
          client.onClose(() -> clients.remove(client));
          clients.add(client);
          client.sendEvent("snapshot", last);
        });
  }

  public void start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      Map<String, Object> snapshot = snapshot();
      lastSnapshot = snapshot;
      last = JSON.writeValueAsString(snapshot);
      for (SseClient client : clients) {
        if (client.terminated()) {
          clients.remove(client);
        } else {
          client.sendEvent("snapshot", last);
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      log.warn("Dashboard snapshot failed: {}", e.getMessage());
    }
  }

  /** The newest lineage as the page draws it. */
  Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    long now = System.currentTimeMillis();
    s.put("time", Instant.ofEpochMilli(now).toString());
    PipelineRates.Rates r = rates.look();
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("t", now / 1000.0);
    point.put("stepsPerSecond", r.stepsPerSecond());
    point.put("latentsPerSecond", r.latentsPerSecond());
    rateHistory.add(point);
    if (rateHistory.size() > POINTS) {
      rateHistory.remove(0);
    }
    s.put("rates", List.copyOf(rateHistory));
    Optional<CheckpointEntry> newest =
        registry.lineages().stream().max(Comparator.comparing(CheckpointEntry::createdTime));
    if (newest.isEmpty()) {
      s.put("lineage", null);
      return s;
    }
    CheckpointEntry latest = newest.get();
    s.put("lineage", latest.lineage());
    s.put("latestVersion", latest.version());
    s.put("checkpointAgeSeconds", (now - latest.createdTime().toEpochMilli()) / 1000.0);
    List<CheckpointEntry> versions =
        registry
            .versions(latest.lineage(), Optional.empty(), Optional.empty(), Optional.empty())
            .orElse(List.of());
    List<Map<String, Object>> checkpoints = new ArrayList<>();
    for (CheckpointEntry e :
        versions.subList(Math.max(0, versions.size() - POINTS), versions.size())) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("version", e.version());
      c.put("trainLoss", finite(e.trainLoss()));
      c.put("heldOutLoss", e.heldOutLoss().map(Dashboard::finite).orElse(null));
      c.put("corrupt", e.corrupt());
      checkpoints.add(c);
    }
    s.put("checkpoints", checkpoints);
    List<EvaluationReport> reports = registry.evaluations(latest.lineage());
    List<Map<String, Object>> evaluations = new ArrayList<>();
    int first = Math.max(0, reports.size() - POINTS);
    for (int i = first; i < reports.size(); i++) {
      EvaluationReport report = reports.get(i);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("index", i);
      e.put("checkpointVersion", report.getCheckpointVersion());
      e.put("generation", report.getGeneration());
      e.put("bestReturn", finite(report.getBestReturn()));
      e.put("meanReturn", finite(report.getMeanReturn()));
      e.put("realReturn", report.getRealReturn() == null ? null : finite(report.getRealReturn()));
      e.put(
          "realReturnSd",
          report.getRealReturnSd() == null ? null : finite(report.getRealReturnSd()));
      e.put("realEpisodes", report.getRealEpisodes());
      e.put("controllerVersion", report.getControllerVersion());
      e.put("controllerDreamReturn", finite(report.getControllerDreamReturn()));
      evaluations.add(e);
    }
    s.put("evaluations", evaluations);
    if (!reports.isEmpty()) {
      EvaluationReport newestReport = reports.get(reports.size() - 1);
      s.put("evaluatorStaleness", latest.version() - newestReport.getCheckpointVersion());
      s.put("evaluatedVersion", newestReport.getCheckpointVersion());
    }
    return s;
  }

  /**
   * The pipeline in one line, from the latest snapshot: env steps/s, latents/s, the newest
   * checkpoint with its age and losses, the dream return of the controller the workers act with and
   * the real return (mean ± sd over the evaluation tracks) of the newest controller checked.
   */
  @SuppressWarnings("unchecked")
  public String statusLine() {
    Map<String, Object> s = lastSnapshot;
    List<Map<String, Object>> rates =
        (List<Map<String, Object>>) s.getOrDefault("rates", List.of());
    StringBuilder line = new StringBuilder();
    if (!rates.isEmpty()) {
      Map<String, Object> r = rates.get(rates.size() - 1);
      line.append(
          String.format(
              "%.0f steps/s, %.0f latents/s",
              (Double) r.get("stepsPerSecond"), (Double) r.get("latentsPerSecond")));
    }
    if (s.get("lineage") == null) {
      return line.append(", no checkpoint yet").toString();
    }
    List<Map<String, Object>> checkpoints =
        (List<Map<String, Object>>) s.getOrDefault("checkpoints", List.of());
    Map<String, Object> newest =
        checkpoints.isEmpty() ? Map.of() : checkpoints.get(checkpoints.size() - 1);
    line.append(
        String.format(
            ", %s v%s %.0f s old, loss %s (held-out %s)",
            s.get("lineage"),
            s.get("latestVersion"),
            (Double) s.get("checkpointAgeSeconds"),
            format(newest.get("trainLoss")),
            format(newest.get("heldOutLoss"))));
    List<Map<String, Object>> evaluations =
        (List<Map<String, Object>>) s.getOrDefault("evaluations", List.of());
    if (evaluations.isEmpty()) {
      return line.append(", no controller search yet").toString();
    }
    Map<String, Object> e = evaluations.get(evaluations.size() - 1);
    line.append(
        String.format(
            ", controller v%s dream %s (v%s gen %s)",
            e.get("controllerVersion"),
            format(e.get("controllerDreamReturn")),
            e.get("checkpointVersion"),
            e.get("generation")));
    Map<String, Object> checked = null;
    for (Map<String, Object> report : evaluations) {
      if (report.get("realReturn") != null) {
        checked = report;
      }
    }
    if (checked == null) {
      return line.append(", real -").toString();
    }
    return line.append(
            String.format(
                ", real %s ± %s on %s tracks (controller v%s)",
                format(checked.get("realReturn")),
                format(checked.get("realReturnSd")),
                checked.get("realEpisodes"),
                checked.get("controllerVersion")))
        .toString();
  }

  private static String format(Object value) {
    return value instanceof Number n ? String.format("%.3g", n.doubleValue()) : "-";
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
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
    rates.close();
  }
}
