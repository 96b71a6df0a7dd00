package io.worldstream.producers;

import io.worldstream.envs.Environments;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.service.InvalidSettingException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a worker runs.
 *
 * @param envs environments stepped in parallel, one thread each
 * @param episodes episodes to run in all, or empty to run until stopped
 * @param maxFps per-environment step rate limit, or empty for as fast as possible
 * @param maxEpisodeSteps the time limit: episodes are truncated after this many steps
 * @param seed the first episode's seed (later episodes count up), or empty for random seeds; never
 *     one of the {@link EvaluationTracks} kept for measuring controllers
 * @param workerId unique across processes and machines; every step records it
 * @param lineage the model lineage whose controllers the controller policy follows
 * @param exploration how the controller policy explores around the controller it acts with
 */
public record WorkerSettings(
    String env,
    int envs,
    Policy policy,
    OptionalLong episodes,
    OptionalDouble maxFps,
    int maxEpisodeSteps,
    OptionalLong seed,
    String workerId,
    String lineage,
    Exploration exploration,
    Duration progressInterval) {

  /** How a worker's environments choose their actions. */
  public enum Policy {
    /** Uniformly random actions. */
    RANDOM,
    /** Random actions that drift smoothly, as the World Models paper collected its data. */
    BROWNIAN,
    /** The newest controller on wm.controllers, brownian until there is one. */
    CONTROLLER;

    /** The policy a person names: random, brownian or controller. */
    public static Policy named(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(
            "policy", "Unknown policy '" + name + "'; choose random, brownian or controller");
      }
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String DEFAULT_ENV = CarRacing.ID;
  public static final String DEFAULT_LINEAGE = "default";

  public WorkerSettings {
    Objects.requireNonNull(env);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(workerId);
    Objects.requireNonNull(exploration);
    InvalidSettingException.atLeast("envs", "the number of environments", envs, 1);
    if (episodes.isPresent() && episodes.getAsLong() < 1) {
      throw new InvalidSettingException(
          "episodes", "the number of episodes must be at least 1, not " + episodes.getAsLong());
    }
    if (maxFps.isPresent() && !(maxFps.getAsDouble() > 0)) {
      throw new InvalidSettingException(
          "max-fps", "the step rate limit must be positive, not " + maxFps.getAsDouble());
    }
    InvalidSettingException.atLeast("max-episode-steps", "the time limit", maxEpisodeSteps, 1);
    if (seed.isPresent() && seed.getAsLong() < 0) {
      throw new InvalidSettingException(
          "seed", "the seed must be non-negative, not " + seed.getAsLong());
    }
    if (seed.isPresent() && EvaluationTracks.isReserved(seed.getAsLong())) {
      throw new InvalidSettingException(
          "seed",
          "seeds from "
              + EvaluationTracks.FIRST
              + " up are the evaluation tracks that no worker trains on; choose a smaller seed, not "
              + seed.getAsLong());
    }
    InvalidSettingException.positive(
        "progress-interval", "the progress interval", progressInterval);
  }

  /** Defaults that run on one laptop: one CarRacing environment, brownian, until stopped. */
  public static WorkerSettings defaults() {
    return new WorkerSettings(
        DEFAULT_ENV,
        1,
        Policy.BROWNIAN,
        OptionalLong.empty(),
        OptionalDouble.empty(),
        Environments.maxEpisodeSteps(DEFAULT_ENV),
        OptionalLong.empty(),
        newWorkerId(),
        DEFAULT_LINEAGE,
        Exploration.DEFAULT,
        Duration.ofSeconds(5));
  }

  /** Host, process id and a random suffix: unique across processes and machines. */
  public static String newWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "host";
    }
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    byte[] suffix = new byte[2];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host.replaceAll("[^A-Za-z0-9.-]", "")
        + "-"
        + pid
        + "-"
        + HexFormat.of().formatHex(suffix);
  }
}
