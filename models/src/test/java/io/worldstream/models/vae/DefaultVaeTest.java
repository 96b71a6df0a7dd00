package io.worldstream.models.vae;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.BrownianPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped VAE on CarRacing episodes it never saw (seeds far from its training seeds 0–39). */
class DefaultVaeTest {

  @Test
  void shouldReconstructUnseenEpisodes() {
    List<byte[]> frames = new ArrayList<>();
    for (long seed = 1000; seed < 1002; seed++) {
      try (Environment env = Environments.make("CarRacing-v3", true, false)) {
        BrownianPolicy policy = new BrownianPolicy(env.actionSpec(), seed);
        Pixels observation = env.reset(seed).observation();
        for (int t = 0; t < 150; t++) {
          frames.add(observation.data());
          observation = env.step(policy.act(observation)).observation();
        }
      }
    }
    FramePreprocessor preprocessor = FramePreprocessor.carRacing();
    float[] input = new float[frames.size() * VaeSpec.PIXELS];
    for (int i = 0; i < frames.size(); i++) {
      preprocessor.preprocess(frames.get(i), input, i * VaeSpec.PIXELS);
    }
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), 2);
        VaeDecoder decoder = VaeDecoder.load(DefaultVae.decoder(), 2)) {
      float[] output = decoder.decode(encoder.encode(input, frames.size()).mu(), frames.size());
      double sum = 0;
      for (int i = 0; i < input.length; i++) {
        sum += (output[i] - input[i]) * (output[i] - input[i]);
      }
      double mse = sum / input.length;
      System.out.printf(
          "default VAE on %d unseen frames: MSE per pixel %.5f%n", frames.size(), mse);
      assertThat(mse).isLessThan(0.003);
    }
  }
}
