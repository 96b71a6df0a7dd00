package io.worldstream.bench;

import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.producers.ExperienceProducer;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Experience written ahead of a measurement: real CarRacing frames, published with the worker's own
 * producer (same idempotence, compression and batching), in episodes of 1,000 steps.
 */
public final class Backlog {

  private static final int EPISODE_STEPS = 1000;

  private final List<byte[]> frames;

  /**
   * @param frames the observations to draw from
   */
  public Backlog(List<byte[]> frames) {
    this.frames = List.copyOf(frames);
  }

  /** {@code n} distinct observations of a brownian drive on seed 3. */
  public static List<byte[]> carRacingFrames(int n) {
    List<byte[]> frames = new ArrayList<>();
    try (Environment env = Environments.make(CarRacing.ID, true, false)) {
      var policy = new BrownianPolicy(env.actionSpec(), 3);
      Pixels observation = env.reset(3).observation();
      while (frames.size() < n) {
        var step = env.step(policy.act(observation));
        observation = step.observation();
        frames.add(observation.data());
        if (step.done()) {
          observation = env.reset(frames.size()).observation();
        }
      }
    }
    return frames;
  }

  public List<byte[]> frames() {
    return frames;
  }

  /**
   * Writes {@code count} steps to wm.experience and waits until all are acknowledged.
   *
   * @throws IllegalStateException if a step was not delivered
   */
  public void write(Map<String, Object> clientConfig, int count) {
    try (ExperienceProducer producer = new ExperienceProducer(clientConfig, "bench-backlog")) {
      String episode = null;
      Random random = new Random(5);
      for (int i = 0; i < count; i++) {
        int t = i % EPISODE_STEPS;
        if (t == 0) {
          episode = "bench-" + UUID.randomUUID();
        }
        producer.send(
            ExperienceStep.newBuilder()
                .setEpisodeId(episode)
                .setWorkerId("bench")
                .setEnvId(CarRacing.ID)
                .setEnvSeed(i / EPISODE_STEPS)
                .setStep(t)
                .setFrame(
                    new Frame(
                        VaeSpec.OBSERVATION_HEIGHT,
                        VaeSpec.OBSERVATION_WIDTH,
                        VaeSpec.OBSERVATION_CHANNELS,
                        ByteBuffer.wrap(frames.get(random.nextInt(frames.size())))))
                .setAction(List.of(0f, 0.5f, 0f))
                .setReward(-0.1)
                .setTerminated(false)
                .setTruncated(t == EPISODE_STEPS - 1)
                .setPolicyId("brownian")
                .setPolicyVersion(0)
                .setEventTime(Instant.now())
                .build());
      }
      producer.flush();
      if (producer.failure() != null) {
        throw new IllegalStateException(
            "the backlog was not delivered: " + producer.failure().getMessage(),
            producer.failure());
      }
    }
  }
}
