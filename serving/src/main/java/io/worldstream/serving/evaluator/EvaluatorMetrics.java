package io.worldstream.serving.evaluator;

import io.worldstream.records.EvaluationReport;
import io.worldstream.service.PartMetrics;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.metrics.Sensor;

/**
 * The evaluator's figures as Kafka metrics, in JMX under {@code
 * worldstream:type=evaluator,instance=<instance>}: {@code generations-total}/{@code -rate} and
 * {@code dream-steps-total}/{@code -rate} as the search publishes; of the newest published
 * generation its {@code checkpoint-version}, {@code generation-seconds}, {@code dream-best-return},
 * {@code dream-mean-return}, {@code sigma}, and the {@code controller-version} published with its
 * {@code controller-dream-return}; of the newest real check {@code real-return} and {@code
 * real-return-sd} (mean and sd over its tracks; NaN before the first) and {@code
 * real-checks-total}/{@code -rate}.
 */
final class EvaluatorMetrics implements AutoCloseable {

  private final PartMetrics metrics;
  private final Sensor generations;
  private final Sensor dreamSteps;
  private final Sensor realChecks;
  private volatile EvaluationReport newest;
  private volatile EvaluationReport newestReal;

  EvaluatorMetrics(String instance) {
    metrics = new PartMetrics("evaluator", instance);
    generations = metrics.meter("generations", "search generations published");
    dreamSteps = metrics.meter("dream-steps", "dream steps taken by the search");
    realChecks = metrics.meter("real-checks", "real checks of the published controller");
    ofNewest("checkpoint-version", "the checkpoint searched", r -> r.getCheckpointVersion());
    ofNewest("generation-seconds", "wall time of a generation", r -> r.getWallMillis() / 1000.0);
    ofNewest("dream-best-return", "best candidate's dream return", r -> r.getBestReturn());
    ofNewest("dream-mean-return", "candidates' mean dream return", r -> r.getMeanReturn());
    ofNewest("sigma", "the search's step size", r -> r.getSigma());
    ofNewest("controller-version", "the controller published", r -> r.getControllerVersion());
    ofNewest(
        "controller-dream-return",
        "the published controller's dream return",
        r -> r.getControllerDreamReturn());
    metrics.gauge(
        "real-return",
        "the published controller's real return, mean over the check's tracks",
        () -> realOrNaN(newestReal == null ? null : newestReal.getRealReturn()));
    metrics.gauge(
        "real-return-sd",
        "the published controller's real return, sd over the check's tracks",
        () -> realOrNaN(newestReal == null ? null : newestReal.getRealReturnSd()));
  }

  private void ofNewest(String name, String description, ToDoubleFunction<EvaluationReport> of) {
    metrics.gauge(
        name,
        description + ", newest generation",
        () -> {
          EvaluationReport report = newest;
          return report == null ? Double.NaN : of.applyAsDouble(report);
        });
  }

  private static double realOrNaN(Double value) {
    return value == null ? Double.NaN : value;
  }

  /** A generation was published. */
  void published(EvaluationReport report) {
    newest = report;
    generations.record();
    dreamSteps.record(report.getDreamSteps());
    if (report.getRealReturn() != null) {
      newestReal = report;
      realChecks.record();
    }
  }

  /** The value of one of these metrics now, as a reporter reads it. */
  double value(String name) {
    return metrics.value(name);
  }

  @Override
  public void close() {
    metrics.close();
  }
}
