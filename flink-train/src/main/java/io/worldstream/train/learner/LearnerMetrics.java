package io.worldstream.train.learner;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * The learner's figures as Flink metrics, in the group {@code learner} under its operator, so that
 * Flink's web UI and any reporter a cluster configures (JMX, Prometheus) show them: sequences in
 * and gradient steps, each with its rate per second, the steps refused for a loss that was not
 * finite, the replay's fill, and the newest published version with its age and losses. The same
 * figures feed this process's progress line ({@link LearnerStatus}).
 */
final class LearnerMetrics {

  private final Counter sequences;
  private final Counter gradientSteps;
  private final Counter skippedSteps;
  private volatile long replayFill;
  private volatile LearnerStatus.Published newest;

  LearnerMetrics(MetricGroup operator) {
    MetricGroup group = operator.addGroup("learner");
    sequences = group.counter("sequences");
    group.meter("sequencesPerSecond", new MeterView(sequences));
    gradientSteps = group.counter("gradientSteps");
    group.meter("gradientStepsPerSecond", new MeterView(gradientSteps));
    skippedSteps = group.counter("skippedSteps");
    group.gauge("replayFill", (Gauge<Long>) () -> replayFill);
    group.gauge("newestVersion", (Gauge<Long>) () -> newest == null ? 0L : newest.version());
    group.gauge(
        "newestVersionAgeSeconds",
        (Gauge<Double>)
            () ->
                newest == null ? Double.NaN : (System.currentTimeMillis() - newest.at()) / 1000.0);
    group.gauge(
        "trainLoss", (Gauge<Double>) () -> newest == null ? Double.NaN : newest.trainLoss());
    group.gauge(
        "heldOutLoss",
        (Gauge<Double>)
            () ->
                newest == null || newest.heldOutLoss() == null ? Double.NaN : newest.heldOutLoss());
  }

  /** A training sequence joined the replay, which now holds {@code replayFill}. */
  void arrived(TrainingSequence sequence, long replayFill) {
    sequences.inc();
    this.replayFill = replayFill;
    LearnerStatus.arrived(sequence);
    LearnerStatus.sequences.incrementAndGet();
    LearnerStatus.replayFill.set(replayFill);
  }

  /** A gradient step that took {@code nanos}. */
  void stepped(long nanos) {
    gradientSteps.inc();
    LearnerStatus.stepNanos.addAndGet(nanos);
    LearnerStatus.gradientSteps.incrementAndGet();
  }

  /** A step that updated nothing because its loss was not finite. */
  void skipped() {
    skippedSteps.inc();
  }

  void published(LearnerStatus.Published version) {
    newest = version;
    LearnerStatus.latest.set(version);
  }
}
