package io.worldstream.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.worldstream.serving.dream.DreamRequest;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.EpisodeRequest;
import io.worldstream.serving.dream.RealEpisodes;
import io.worldstream.serving.dream.Refused;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/dreams} runs a dream on demand, {@code POST /api/episodes} a real episode
 * (docs/API.md). A body that is not JSON, or a field that is wrong, gets a 400 naming it before
 * anything reaches a model.
 */
public final class DreamApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dreams dreams;
  private final RealEpisodes episodes;

  public DreamApi(Dreams dreams, RealEpisodes episodes) {
    this.dreams = dreams;
    this.episodes = episodes;
  }

  public void register(JavalinConfig config) {
    config.routes.post("/api/dreams", this::dream);
    config.routes.post("/api/episodes", this::episode);
  }

  private void episode(Context ctx) {
    EpisodeRequest request;
    try {
      request = EpisodeRequest.parse(body(ctx));
    } catch (DreamRequest.Invalid e) {
      throw new BadRequestResponse(e.getMessage());
    }
    RealEpisodes.Episode episode;
    try {
      episode = episodes.run(request);
    } catch (Refused e) {
      throw http(e);
    }
    ctx.json(json(request, episode));
  }

  /** A real episode's answer, as {@code POST /api/episodes} gives it. */
  public static Map<String, Object> json(EpisodeRequest request, RealEpisodes.Episode episode) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lineage", episode.checkpoint().lineage());
    m.put("version", episode.checkpoint().version());
    m.put("controller", episode.controller());
    m.put("controllerVersion", episode.controllerVersion().orElse(null));
    m.put("seed", request.seed());
    m.put("steps", episode.steps());
    m.put("terminated", episode.terminated());
    m.put("totalReward", episode.totalReward());
    m.put("wallMillis", episode.wallMillis());
    m.put("gif", "data:image/gif;base64," + Base64.getEncoder().encodeToString(episode.frames()));
    return m;
  }

  private static JsonNode body(Context ctx) {
    try {
      return JSON.readTree(ctx.bodyAsBytes());
    } catch (JsonProcessingException e) {
      throw new BadRequestResponse("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequestResponse("the body could not be read: " + e.getMessage());
    }
  }

  private static HttpResponseException http(Refused e) {
    return switch (e.kind()) {
      case NOT_FOUND -> new NotFoundResponse(e.getMessage());
      case CONFLICT -> new ConflictResponse(e.getMessage());
      case BUSY -> new HttpResponseException(429, e.getMessage(), Map.of());
    };
  }

  private void dream(Context ctx) {
    JsonNode body = body(ctx);
    DreamRequest request;
    try {
      request = DreamRequest.parse(body);
    } catch (DreamRequest.Invalid e) {
      throw new BadRequestResponse(e.getMessage());
    }
    Dreams.Result result;
    try {
      result = dreams.run(request);
    } catch (Refused e) {
      throw http(e);
    }
    ctx.json(json(request, result));
  }

  /** A dream's answer, as {@code POST /api/dreams} gives it. */
  public static Map<String, Object> json(DreamRequest request, Dreams.Result result) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lineage", result.checkpoint().lineage());
    m.put("version", result.checkpoint().version());
    m.put("controller", result.controller());
    m.put("controllerVersion", result.controllerVersion().orElse(null));
    m.put("temperature", request.temperature());
    m.put("horizon", request.horizon());
    m.put("rollouts", request.rollouts());
    m.put("seed", request.seed());
    double[] returns = result.returns();
    double mean = Arrays.stream(returns).average().orElse(0);
    double variance = Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).average().orElse(0);
    m.put("meanReturn", mean);
    m.put("stdReturn", Math.sqrt(variance));
    m.put("minReturn", Arrays.stream(returns).min().orElse(0));
    m.put("maxReturn", Arrays.stream(returns).max().orElse(0));
    m.put("returns", returns);
    m.put("lengths", result.lengths());
    m.put("dreamSteps", result.dreamSteps());
    m.put("wallMillis", result.wallMillis());
    m.put(
        "frames",
        result
            .frames()
            .map(
                f -> {
                  Map<String, Object> frames = new LinkedHashMap<>();
                  frames.put("rollouts", f.rollouts());
                  frames.put("steps", f.steps());
                  frames.put(
                      "gif",
                      "data:image/gif;base64," + Base64.getEncoder().encodeToString(f.gif()));
                  frames.put(
                      "png",
                      "data:image/png;base64," + Base64.getEncoder().encodeToString(f.png()));
                  return frames;
                })
            .orElse(null));
    return m;
  }
}
