package io.worldstream.encode;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test experience: real CarRacing frames in ExperienceSteps, and random VAE weights. */
final class Experience {

  private static final List<byte[]> FRAMES = carRacingFrames(12);

  private Experience() {}

  /** Distinct CarRacing observations, the car driving off from the start of seed 7. */
  static List<byte[]> frames() {
    return FRAMES;
  }

  static ExperienceStep step(String episode, int t) {
    byte[] pixels = FRAMES.get(Math.floorMod(t, FRAMES.size()));
    return ExperienceStep.newBuilder()
        .setEpisodeId(episode)
        .setWorkerId("test-worker")
        .setEnvId("CarRacing-v3")
        .setEnvSeed(7)
        .setStep(t)
        .setFrame(new Frame(96, 96, 3, ByteBuffer.wrap(pixels)))
        .setAction(List.of(0.1f * (t % 3), 0.5f, 0.0f))
        .setReward(t * 0.25)
        .setTerminated(false)
        .setTruncated(t == 99)
        .setPolicyId("brownian")
        .setPolicyVersion(0)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + t * 20L))
        .build();
  }

  private static List<byte[]> carRacingFrames(int n) {
    List<byte[]> frames = new ArrayList<>();
    try (Environment env = Environments.make("CarRacing-v3", true, false)) {
      env.reset(7);
      for (int i = 0; frames.size() < n; i++) {
        Pixels observation = env.step(Action.of(0.3, 1.0, 0.0)).observation();
        if (i >= 50 && i % 5 == 0) {
          frames.add(observation.data());
        }
      }
    }
    return frames;
  }
}
