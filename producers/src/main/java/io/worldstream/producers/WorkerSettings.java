package io.worldstream.producers;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What a worker runs.
 *
 * @param envs environments stepped in parallel, one thread each
 * @param policy random, brownian or controller
 * @param episodes episodes to run in all, or empty to run until stopped
 * @param maxFps per-environment step rate limit, or empty for as fast as possible
 * @param maxEpisodeSteps the time limit: episodes are truncated after this many steps
 * @param seed the first episode's seed (later episodes count up), or empty for random seeds
 * @param lineage the model lineage whose controllers the controller policy follows
 */
public record WorkerOptions(
    String envId,
    int envs,
    String policy,
    OptionalLong episodes,
    OptionalDouble maxFps,
    int maxEpisodeSteps,
    OptionalLong seed,
    String workerId,
    String lineage,
    Duration progressInterval) {

  public static final String RANDOM = "random";
  public static final String BROWNIAN = "brownian";
  public static final String CONTROLLER = "controller";

  public WorkerOptions {
    Objects.requireNonNull(envId);
    Objects.requireNonNull(workerId);
    if (envs < 1) {
      throw new IllegalArgumentException("--envs must be at least 1, not " + envs);
    }
    if (!policy.equals(RANDOM) && !policy.equals(BROWNIAN) && !policy.equals(CONTROLLER)) {
      throw new IllegalArgumentException(
          "Unknown policy '" + policy + "'; choose random, brownian or controller");
    }
    if (episodes.isPresent() && episodes.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "--episodes must be at least 1, not " + episodes.getAsLong());
    }
    if (maxFps.isPresent() && !(maxFps.getAsDouble() > 0)) {
      throw new IllegalArgumentException("--max-fps must be positive, not " + maxFps.getAsDouble());
    }
    if (maxEpisodeSteps < 1) {
      throw new IllegalArgumentException(
          "--max-episode-steps must be at least 1, not " + maxEpisodeSteps);
    }
    if (seed.isPresent() && seed.getAsLong() < 0) {
      throw new IllegalArgumentException("--seed must be non-negative, not " + seed.getAsLong());
    }
  }
}
