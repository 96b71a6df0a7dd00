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
    ctx.json(DreamAnswers.Episode.of(request, episode));
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
    ctx.json(DreamAnswers.Dream.of(request, result));
  }
}
