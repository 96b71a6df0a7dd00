package io.worldstream.serving.http;

import static io.worldstream.serving.http.JsonNumbers.finite;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.LossParts;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry over HTTP, under {@code /api/lineages}. Field names are part of the contract
 * (docs/API.md); times are ISO-8601 instants, versions integers, losses numbers or null.
 *
 * <pre>
 *   GET /api/lineages                                          every lineage, with its newest checkpoint
 *   GET /api/lineages/{lineage}/checkpoints?vae=&amp;from=&amp;to=    its checkpoints, oldest first
 *   GET /api/lineages/{lineage}/checkpoints/latest             the newest
 *   GET /api/lineages/{lineage}/checkpoints/{version}          one, with its evaluations and best controller
 *   GET /api/lineages/{lineage}/checkpoints/{version}/model    its ONNX model (never a corrupt one)
 *   GET /api/lineages/{lineage}/checkpoints/latest/model       the newest one's
 * </pre>
 */
public final class RegistryApi {

  private final CheckpointRegistry registry;

  public RegistryApi(CheckpointRegistry registry) {
    this.registry = registry;
  }

  public void register(JavalinConfig config) {
    config.routes.get("/api/lineages", this::lineages);
    config.routes.get("/api/lineages/{lineage}/checkpoints", this::checkpoints);
    config.routes.get("/api/lineages/{lineage}/checkpoints/latest", this::latest);
    config.routes.get("/api/lineages/{lineage}/checkpoints/{version}", this::checkpoint);
    config.routes.get("/api/lineages/{lineage}/checkpoints/{version}/model", this::model);
  }

  private void lineages(Context ctx) {
    ctx.json(
        Map.of(
            "lineages",
            registry.lineages().stream()
                .map(
                    e -> {
                      Map<String, Object> lineage = new LinkedHashMap<>();
                      lineage.put("lineage", e.lineage());
                      lineage.put("vaeVersion", e.vaeVersion());
                      lineage.put("latest", json(e));
                      return lineage;
                    })
                .toList()));
  }

  private void checkpoints(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    Optional<String> vae = Optional.ofNullable(ctx.queryParam("vae")).filter(v -> !v.isBlank());
    Optional<Instant> from = instant(ctx, "from");
    Optional<Instant> to = instant(ctx, "to");
    List<CheckpointEntry> found =
        registry.versions(lineage, vae, from, to).orElseThrow(() -> unknownLineage(lineage));
    ctx.json(
        Map.of("lineage", lineage, "checkpoints", found.stream().map(RegistryApi::json).toList()));
  }

  private void latest(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    ctx.json(json(registry.latest(lineage).orElseThrow(() -> unknownLineage(lineage))));
  }

  private void checkpoint(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    long version = version(ctx);
    CheckpointRegistry.Details details =
        registry.details(lineage, version).orElseThrow(() -> unknownVersion(lineage, version));
    Map<String, Object> body = json(details.checkpoint());
    body.put("evaluations", details.evaluations().stream().map(RegistryApi::json).toList());
    body.put("bestController", details.bestController().map(RegistryApi::json).orElse(null));
    ctx.json(body);
  }

  private void model(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    long version =
        "latest".equals(ctx.pathParam("version"))
            ? registry.latest(lineage).orElseThrow(() -> unknownLineage(lineage)).version()
            : version(ctx);
    CheckpointRegistry.Model model = registry.model(lineage, version);
    if (model instanceof CheckpointRegistry.Model.Found found) {
      ctx.contentType("application/octet-stream");
      ctx.header(
          "Content-Disposition", "attachment; filename=\"" + lineage + "-v" + version + ".onnx\"");
      ctx.header("X-Worldstream-Sha256", found.entry().sha256());
      ctx.result(found.onnx());
    } else if (model instanceof CheckpointRegistry.Model.Corrupt corrupt) {
      throw new ConflictResponse(
          "checkpoint v"
              + version
              + " of "
              + lineage
              + " is corrupt and is not served: "
              + corrupt.reason());
    } else if (model instanceof CheckpointRegistry.Model.Gone gone) {
      throw new HttpResponseException(
          410,
          "checkpoint v" + version + " of " + lineage + " is no longer kept: " + gone.reason());
    } else {
      throw unknownVersion(lineage, version);
    }
  }

  private static long version(Context ctx) {
    String text = ctx.pathParam("version");
    try {
      long version = Long.parseLong(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadRequestResponse(
        "version must be a whole number from 1, or 'latest'; got '" + text + "'");
  }

  private static Optional<Instant> instant(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new BadRequestResponse(
          name + " must be an ISO-8601 instant such as 2026-11-30T13:00:00Z; got '" + text + "'");
    }
  }

  private static NotFoundResponse unknownLineage(String lineage) {
    return new NotFoundResponse("no lineage '" + lineage + "' on the registry");
  }

  private static NotFoundResponse unknownVersion(String lineage, long version) {
    return new NotFoundResponse("no checkpoint v" + version + " of '" + lineage + "'");
  }

  public static Map<String, Object> json(CheckpointEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lineage", e.lineage());
    m.put("version", e.version());
    m.put("parentVersion", e.parentVersion().orElse(null));
    m.put("vaeVersion", e.vaeVersion());
    m.put("stepsTrained", e.stepsTrained());
    m.put("episodesTrained", e.episodesTrained());
    m.put("gradientSteps", e.gradientSteps());
    m.put("trainLoss", finite(e.trainLoss()));
    m.put("heldOutLoss", e.heldOutLoss().map(JsonNumbers::finite).orElse(null));
    m.put("trainLossParts", e.trainLossParts().map(RegistryApi::json).orElse(null));
    m.put("heldOutLossParts", e.heldOutLossParts().map(RegistryApi::json).orElse(null));
    m.put("createdTime", e.createdTime().toString());
    m.put("sha256", e.sha256());
    m.put("modelBytes", e.modelBytes());
    m.put("corrupt", e.corrupt());
    m.put("problem", e.problem().orElse(null));
    return m;
  }

  private static Map<String, Object> json(LossParts parts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nll", finite(parts.getNll()));
    m.put("rewardMse", finite(parts.getRewardMse()));
    m.put("doneBce", finite(parts.getDoneBce()));
    return m;
  }

  public static Map<String, Object> json(EvaluationReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generation", r.getGeneration());
    m.put("populationSize", r.getPopulationSize());
    m.put("rolloutsPerCandidate", r.getRolloutsPerCandidate());
    m.put("temperature", r.getTemperature());
    m.put("bestReturn", finite(r.getBestReturn()));
    m.put("meanReturn", finite(r.getMeanReturn()));
    m.put("stdReturn", finite(r.getStdReturn()));
    m.put("sigma", finite(r.getSigma()));
    m.put("controllerVersion", r.getControllerVersion());
    m.put("controllerDreamReturn", finite(r.getControllerDreamReturn()));
    m.put("realReturn", r.getRealReturn() == null ? null : finite(r.getRealReturn()));
    m.put("realEpisodes", r.getRealEpisodes());
    m.put("realReturnSd", r.getRealReturnSd() == null ? null : finite(r.getRealReturnSd()));
    m.put("wallMillis", r.getWallMillis());
    m.put("createdTime", r.getCreatedTime().toString());
    return m;
  }

  public static Map<String, Object> json(ControllerUpdate c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", c.getVersion());
    m.put("checkpointVersion", c.getCheckpointVersion());
    m.put("generation", c.getGeneration());
    m.put("dreamReturn", finite(c.getDreamReturn()));
    m.put("realReturn", c.getRealReturn() == null ? null : finite(c.getRealReturn()));
    m.put("inputSize", c.getInputSize());
    m.put("outputSize", c.getOutputSize());
    m.put("createdTime", c.getCreatedTime().toString());
    return m;
  }
}
