package io.worldstream.train.learner;

import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.admin.Admin;

/**
 * The learner's progress line, said every interval: what came in and was trained since the last
 * line, the replay's fill, the latents not yet read, and the newest model. On a cluster the
 * learner's figures live in the task manager (its metrics, group {@code learner}, are in the
 * cluster's web UI and reporters), so the line says the job's state and the lag only.
 */
final class ProgressLine implements Runnable {

  private final TrainSettings settings;
  private final Admin admin;
  private final Supplier<JobStatus> jobStatus;
  private final Consumer<String> say;
  private final long everyMillis;
  private long sequences = LearnerStatus.sequences();
  private long steps = LearnerStatus.gradientSteps();

  ProgressLine(
      TrainSettings settings, Admin admin, Supplier<JobStatus> jobStatus, Consumer<String> say) {
    this.settings = settings;
    this.admin = admin;
    this.jobStatus = jobStatus;
    this.say = say;
    this.everyMillis = settings.progressInterval().toMillis();
  }

  @Override
  public void run() {
    if (settings.flinkCluster().isPresent()) {
      say.accept(
          String.format(
              "train: job %s on the cluster at %s, lag %s",
              jobStatus.get(), settings.flinkCluster().get(), lag()));
      return;
    }
    long s = LearnerStatus.sequences();
    long g = LearnerStatus.gradientSteps();
    double seconds = everyMillis / 1000.0;
    LearnerStatus.Published latest = LearnerStatus.latest();
    say.accept(
        String.format(
            "train: %.1f sequences/s in, %.1f gradient steps/s, replay %d/%d, lag %s, %s",
            (s - sequences) / seconds,
            (g - steps) / seconds,
            LearnerStatus.replayFill(),
            settings.learner().replayCapacity(),
            lag(),
            latest == null
                ? "no checkpoint yet"
                : String.format(
                    "%s v%d %.0f s old, train loss %.3f, held-out %s",
                    latest.lineage(),
                    latest.version(),
                    (System.currentTimeMillis() - latest.at()) / 1000.0,
                    latest.trainLoss(),
                    latest.heldOutLoss() == null
                        ? "-"
                        : String.format("%.3f", latest.heldOutLoss()))));
    sequences = s;
    steps = g;
  }

  /** Latents not yet read as of the job's last Flink checkpoint (when it commits offsets). */
  private String lag() {
    try {
      return new TopicAdmin(admin, Duration.ofSeconds(5))
              .lag(settings.applicationId(), Topics.LATENTS.name())
          + " latents";
    } catch (RuntimeException e) {
      return "unknown";
    }
  }
}
