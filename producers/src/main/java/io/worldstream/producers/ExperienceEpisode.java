package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One episode's steps as {@code wm.experience} records, written alike by everything that publishes
 * experience (the workers, and the evaluator's real checks when they feed the model): the episode
 * id is the publisher's id, a dash and a random UUID.
 */
public final class ExperienceEpisode {

  private final String episodeId;
  private final String workerId;
  private final String envId;
  private final long seed;

  /**
   * @param workerId the publishing process, unique across processes and machines
   * @param envId the environment, in Gymnasium's spelling
   * @param seed the seed the episode's reset took
   */
  public ExperienceEpisode(String workerId, String envId, long seed) {
    this.episodeId = workerId + "-" + UUID.randomUUID();
    this.workerId = workerId;
    this.envId = envId;
    this.seed = seed;
  }

  public String id() {
    return episodeId;
  }

  /**
   * Step {@code t}: the observation acted on, the action, and what stepping with it returned.
   *
   * @param truncated whether the episode ends here for an outside reason (the time limit, or the
   *     publisher stopping)
   * @param policyVersion the controller's version for the controller policy, 0 otherwise
   * @param observedAt when the observation was seen
   */
  public ExperienceStep step(
      int t,
      Pixels observation,
      Action action,
      Step result,
      boolean truncated,
      String policyId,
      long policyVersion,
      Instant observedAt) {
    Map<String, String> info = new HashMap<>();
    result.info().forEach((k, v) -> info.put(k, String.valueOf(v)));
    return ExperienceStep.newBuilder()
        .setEpisodeId(episodeId)
        .setWorkerId(workerId)
        .setEnvId(envId)
        .setEnvSeed(seed)
        .setStep(t)
        .setFrame(
            new Frame(
                observation.height(),
                observation.width(),
                observation.channels(),
                ByteBuffer.wrap(observation.data())))
        .setAction(floats(action))
        .setReward(result.reward())
        .setTerminated(result.terminated())
        .setTruncated(truncated)
        .setPolicyId(policyId)
        .setPolicyVersion(policyVersion)
        .setEventTime(observedAt)
        .setInfo(info)
        .build();
  }

  private static List<Float> floats(Action action) {
    if (action instanceof Action.Continuous c) {
      List<Float> values = new ArrayList<>(c.size());
      for (double v : c.values()) {
        values.add((float) v);
      }
      return values;
    }
    return List.of((float) ((Action.Discrete) action).index());
  }
}
