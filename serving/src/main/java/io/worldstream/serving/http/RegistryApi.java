package io.worldstream.serving.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
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
 *   GET /api/lineages/{lineage}/controllers/best               the best-driving controller, with its parameters
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
    config.routes.get("/api/lineages/{lineage}/controllers/best", this::bestController);
  }

  private void bestController(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    registry.latest(lineage).orElseThrow(() -> unknownLineage(lineage));
    ctx.json(
        RegistryAnswers.CheckedController.of(
            registry
                .bestController(lineage)
                .orElseThrow(
                    () ->
                        new NotFoundResponse(
                            "no controller of '"
                                + lineage
                                + "' has driven a real check yet; the evaluator checks one every"
                                + " few generations"))));
  }

  private void lineages(Context ctx) {
    ctx.json(
        new RegistryAnswers.Lineages(
            registry.lineages().stream().map(RegistryAnswers.Lineage::of).toList()));
  }

  private void checkpoints(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    Optional<String> vae = Optional.ofNullable(ctx.queryParam("vae")).filter(v -> !v.isBlank());
    Optional<Instant> from = instant(ctx, "from");
    Optional<Instant> to = instant(ctx, "to");
    List<CheckpointEntry> found =
        registry.versions(lineage, vae, from, to).orElseThrow(() -> unknownLineage(lineage));
    ctx.json(
        new RegistryAnswers.Checkpoints(
            lineage, found.stream().map(RegistryAnswers.Checkpoint::of).toList()));
  }

  private void latest(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    ctx.json(
        RegistryAnswers.Checkpoint.of(
            registry.latest(lineage).orElseThrow(() -> unknownLineage(lineage))));
  }

  private void checkpoint(Context ctx) {
    String lineage = ctx.pathParam("lineage");
    long version = version(ctx);
    ctx.json(
        RegistryAnswers.CheckpointDetails.of(
            registry
                .details(lineage, version)
                .orElseThrow(() -> unknownVersion(lineage, version))));
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
}
