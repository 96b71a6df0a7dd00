package io.worldstream.train.vae;

import io.worldstream.service.InvalidSettingException;
import java.nio.file.Path;

/**
 * A VAE training run: where its frames come from, how it trains, where the model goes.
 *
 * @param source CarRacing run here under the brownian policy, or {@code wm.experience}
 * @param episodes from the environment: episodes, with seeds {@code seed}, {@code seed + 1}, …
 * @param steps from the environment: steps per episode
 * @param seed the first episode's seed, and the training seed
 * @param limit from the topic: frames to read at most, oldest first
 * @param heldOut share of episodes kept out of training to measure reconstruction
 * @param out the directory that receives encoder.onnx, decoder.onnx and the model card
 */
public record VaeTrainingSettings(
    Source source,
    int episodes,
    int steps,
    int seed,
    int limit,
    int epochs,
    int batchSize,
    float learningRate,
    double heldOut,
    Path out) {

  /** Where the frames come from. */
  public enum Source {
    ENVIRONMENT,
    TOPIC
  }

  public VaeTrainingSettings {
    InvalidSettingException.atLeast("episodes", "the number of episodes", episodes, 1);
    InvalidSettingException.atLeast("steps", "steps per episode", steps, 1);
    InvalidSettingException.atLeast("limit", "the frame limit", limit, 1);
    InvalidSettingException.atLeast("epochs", "the number of epochs", epochs, 1);
    InvalidSettingException.atLeast("batch-size", "the batch size", batchSize, 1);
    if (!(learningRate > 0)) {
      throw new InvalidSettingException(
          "learning-rate", "the learning rate must be positive, not " + learningRate);
    }
    if (!(heldOut >= 0 && heldOut < 1)) {
      throw new InvalidSettingException(
          "held-out", "the held-out share must be in [0, 1), not " + heldOut);
    }
    if (out == null) {
      throw new InvalidSettingException("out", "no directory to write the model to");
    }
  }

  VaeTrainer.Options trainerOptions() {
    return new VaeTrainer.Options(epochs, batchSize, learningRate, 100, heldOut, seed);
  }
}
