package io.worldstream.serving.http;

import io.worldstream.serving.dream.DreamRequest;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.EpisodeRequest;
import io.worldstream.serving.dream.RealEpisodes;
import java.util.Arrays;
import java.util.Base64;

/**
 * What {@code POST /api/dreams} and {@code POST /api/episodes} answer, as records the JSON mapper
 * writes field by field: their component names are the contract (docs/API.md). Pictures are data
 * URLs.
 */
public final class DreamAnswers {

  private DreamAnswers() {}

  /** A dream's rollouts with their returns, and its pictures when asked for. */
  public record Dream(
      String lineage,
      long version,
      String controller,
      Long controllerVersion,
      double temperature,
      int horizon,
      int rollouts,
      long seed,
      double meanReturn,
      double stdReturn,
      double minReturn,
      double maxReturn,
      double[] returns,
      int[] lengths,
      long dreamSteps,
      long wallMillis,
      Frames frames) {

    public static Dream of(DreamRequest request, Dreams.Result result) {
      double[] returns = result.returns();
      double mean = Arrays.stream(returns).average().orElse(0);
      double variance =
          Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).average().orElse(0);
      return new Dream(
          result.checkpoint().lineage(),
          result.checkpoint().version(),
          result.controller(),
          result.controllerVersion().orElse(null),
          request.temperature(),
          request.horizon(),
          request.rollouts(),
          request.seed(),
          mean,
          Math.sqrt(variance),
          Arrays.stream(returns).min().orElse(0),
          Arrays.stream(returns).max().orElse(0),
          returns,
          result.lengths(),
          result.dreamSteps(),
          result.wallMillis(),
          result.frames().map(Frames::of).orElse(null));
    }
  }

  /** A dream's first rollouts decoded: an animation and a still of them side by side. */
  public record Frames(int rollouts, int steps, String gif, String png) {
    static Frames of(Dreams.Frames frames) {
      return new Frames(
          frames.rollouts(),
          frames.steps(),
          dataUrl("image/gif", frames.gif()),
          dataUrl("image/png", frames.png()));
    }
  }

  /** A real episode driven on one track, with its animation and the car's path on the track. */
  public record Episode(
      String lineage,
      long version,
      String controller,
      Long controllerVersion,
      long seed,
      int steps,
      boolean terminated,
      double totalReward,
      int tilesVisited,
      int tiles,
      long wallMillis,
      String gif,
      String track) {

    public static Episode of(EpisodeRequest request, RealEpisodes.Episode episode) {
      return new Episode(
          episode.checkpoint().lineage(),
          episode.checkpoint().version(),
          episode.controller(),
          episode.controllerVersion().orElse(null),
          request.seed(),
          episode.steps(),
          episode.terminated(),
          episode.totalReward(),
          episode.tilesVisited(),
          episode.tiles(),
          episode.wallMillis(),
          dataUrl("image/gif", episode.frames()),
          dataUrl("image/png", episode.track()));
    }
  }

  private static String dataUrl(String type, byte[] bytes) {
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }
}
