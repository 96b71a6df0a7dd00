package io.worldstream.encode;

import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import java.util.List;

/**
 * Checks an experience record before it is buffered for encoding: everything the VAE and the latent
 * record need must be there and make sense, or the record is rejected with a reason.
 */
public final class StepValidator {

  private final int height;
  private final int width;
  private final int channels;

  /** Accepts frames of exactly {@code height × width × channels}, the shape the VAE was fit to. */
  public StepValidator(int height, int width, int channels) {
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** CarRacing's 96×96 RGB observations, the default VAE's input. */
  public static StepValidator carRacing() {
    return new StepValidator(
        VaeSpec.OBSERVATION_HEIGHT, VaeSpec.OBSERVATION_WIDTH, VaeSpec.OBSERVATION_CHANNELS);
  }

  /**
   * Returns {@code step} when it can be encoded.
   *
   * @throws RejectedStep saying why it cannot
   */
  public ExperienceStep check(String key, ExperienceStep step) {
    if (step == null) {
      throw new RejectedStep(
          Rejection.MISSING_VALUE, "record with key " + key + " has no value (a tombstone)");
    }
    if (!step.getEpisodeId().equals(key)) {
      throw new RejectedStep(
          Rejection.KEY_MISMATCH,
          "key " + key + " is not the step's episode id " + step.getEpisodeId());
    }
    if (step.getStep() < 0) {
      throw new RejectedStep(Rejection.NEGATIVE_STEP, "step index " + step.getStep() + " < 0");
    }
    Frame frame = step.getFrame();
    long declared = (long) frame.getHeight() * frame.getWidth() * frame.getChannels();
    int actual = frame.getPixels().remaining();
    if (frame.getHeight() <= 0 || frame.getWidth() <= 0 || frame.getChannels() <= 0) {
      throw new RejectedStep(Rejection.FRAME_SIZE_MISMATCH, "frame declares " + shape(frame));
    }
    if (declared != actual) {
      throw new RejectedStep(
          Rejection.FRAME_SIZE_MISMATCH,
          "frame declares " + shape(frame) + " = " + declared + " bytes but has " + actual);
    }
    if (frame.getHeight() != height
        || frame.getWidth() != width
        || frame.getChannels() != channels) {
      throw new RejectedStep(
          Rejection.UNSUPPORTED_SHAPE,
          "the VAE takes "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " frames, not "
              + shape(frame));
    }
    List<Float> action = step.getAction();
    for (int i = 0; i < action.size(); i++) {
      if (!Float.isFinite(action.get(i))) {
        throw new RejectedStep(
            Rejection.NON_FINITE_ACTION, "action[" + i + "] is " + action.get(i));
      }
    }
    if (!Double.isFinite(step.getReward())) {
      throw new RejectedStep(Rejection.NON_FINITE_REWARD, "reward is " + step.getReward());
    }
    return step;
  }

  private static String shape(Frame frame) {
    return frame.getHeight() + "x" + frame.getWidth() + "x" + frame.getChannels();
  }
}
