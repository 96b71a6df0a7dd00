package io.worldstream.train.learner;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the learners in this process have done, for the service's progress line. The job runs
 * embedded, so its operators and the service share the JVM; on a Flink cluster the same figures are
 * the learner's Flink metrics ({@link LearnerMetrics}), which the web UI and reporters show.
 */
public final class LearnerStatus {

  /** The newest published checkpoint's figures. */
  public record Published(
      String lineage, long version, double trainLoss, Double heldOutLoss, long at) {}

  static final AtomicLong sequences = new AtomicLong();
  static final AtomicLong gradientSteps = new AtomicLong();
  static final AtomicLong stepNanos = new AtomicLong();
  static final AtomicLong replayFill = new AtomicLong();
  static final AtomicReference<Published> latest = new AtomicReference<>();

  /**
   * What happened to one training sequence: it reached the learner, or a minibatch took it (for the
   * gradient step numbered {@code gradientStep}). Steps {@code firstStep} to {@code lastStep} of
   * the episode.
   */
  public record SequenceEvent(
      boolean sampled, String episode, long firstStep, long lastStep, long gradientStep, long at) {}

  private static volatile java.util.function.Consumer<SequenceEvent> tracer;

  private LearnerStatus() {}

  public static long sequences() {
    return sequences.get();
  }

  public static long gradientSteps() {
    return gradientSteps.get();
  }

  /** Time spent in gradient steps themselves, ns. */
  public static long stepNanos() {
    return stepNanos.get();
  }

  public static long replayFill() {
    return replayFill.get();
  }

  public static Published latest() {
    return latest.get();
  }

  /**
   * Follows every sequence in and every minibatch's sequences (null: nobody), e.g. to measure how
   * soon experience reaches a checkpoint.
   */
  public static void trace(java.util.function.Consumer<SequenceEvent> consumer) {
    tracer = consumer;
  }

  static void arrived(TrainingSequence s) {
    var t = tracer;
    if (t != null) {
      t.accept(
          new SequenceEvent(
              false, s.episode, s.firstStep, s.lastStep(), 0, System.currentTimeMillis()));
    }
  }

  static void sampled(java.util.List<TrainingSequence> batch, long gradientStep) {
    var t = tracer;
    if (t != null) {
      long now = System.currentTimeMillis();
      for (TrainingSequence s : batch) {
        t.accept(new SequenceEvent(true, s.episode, s.firstStep, s.lastStep(), gradientStep, now));
      }
    }
  }
}
