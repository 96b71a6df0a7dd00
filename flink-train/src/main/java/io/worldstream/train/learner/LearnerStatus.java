package io.worldstream.train.learner;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the learners in this process have done, for the service's progress line. The job runs
 * embedded, so its operators and the service share the JVM; on a Flink cluster the same figures are
 * the learner's Flink metrics.
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
}
