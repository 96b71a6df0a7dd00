package io.worldstream.train.learner;

/**
 * A record of wm.latents as the job reads it: the step, or why it cannot be trained on together
 * with its original bytes for the dead-letter topic. A Flink POJO.
 */
public class LatentInput {

  /** The step, when the record is usable. */
  public EpisodeStep step;

  /** Why not, as "REASON: detail", when it is not. */
  public String rejection;

  public byte[] key;
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;

  public LatentInput() {}

  public boolean usable() {
    return rejection == null;
  }
}
