package io.worldstream.serving.evaluator;

import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.producers.ExperienceEpisode;
import io.worldstream.producers.ExperienceProducer;
import io.worldstream.producers.WorkerSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The real checks' episodes as experience: every step a check drives goes to {@code wm.experience}
 * as a worker's would, so the world model also learns from the published controller's own driving,
 * which the check has paid for anyway. The steps are published as driven, each once, by an
 * idempotent producer, as the workers publish theirs; a check cut short leaves its episodes
 * unfinished, as a stopped worker's are, and the learner trains on what arrived. The selection
 * tracks the checks drive are kept apart from the evaluation tracks, so the measure of the loop
 * stays on tracks the model never saw.
 */
public final class CheckExperience implements AutoCloseable {

  /** The policy the checks' steps are recorded under: the published controller. */
  static final String POLICY = "controller";

  /** The prefix of the publisher id (and so of every episode id) of the checks' experience. */
  public static final String PUBLISHER_PREFIX = "check-";

  private final ExperienceProducer producer;
  private final String publisherId;

  CheckExperience(Map<String, Object> clientConfig) {
    this.publisherId = PUBLISHER_PREFIX + WorkerSettings.newWorkerId();
    this.producer = new ExperienceProducer(clientConfig, publisherId);
  }

  /**
   * Publishes the steps of one check: one episode per track of {@code seeds}, driven by controller
   * {@code version}.
   *
   * @throws IllegalStateException from the recorder when an earlier step could not be delivered
   */
  RealCheck.Recorder recorder(List<Long> seeds, long version) {
    ExperienceEpisode[] episodes = new ExperienceEpisode[seeds.size()];
    return (episode, t, observation, action, result) -> {
      if (producer.failure() != null) {
        throw new IllegalStateException(
            "the real check's experience could not be published: "
                + producer.failure().getMessage(),
            producer.failure());
      }
      if (t == 0) {
        episodes[episode] = new ExperienceEpisode(publisherId, CarRacing.ID, seeds.get(episode));
      }
      producer.send(
          episodes[episode].step(
              t, observation, action, result, result.truncated(), POLICY, version, Instant.now()));
    };
  }

  @Override
  public void close() {
    producer.flush();
    producer.close();
  }
}
