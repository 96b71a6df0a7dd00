package io.worldstream.bench.learn;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * How much a run of the loop did in a window, read back from its topics: the env steps its workers
 * took (one latent each), the search generations its evaluator finished (one controller each) and
 * the gradient steps its learner took (from the checkpoints published, each of which counts them;
 * so a window's figure is exact to within a checkpoint's steps at either end).
 */
public record LoopThroughput(long envSteps, long generations, long gradientSteps, Duration window) {

  /** The loop's throughput over [{@code from}, {@code to}], for the lineage of {@code vae}. */
  public static LoopThroughput read(KafkaSettings kafka, String vae, Instant from, Instant to) {
    LoopTopics topics = LoopTopics.read(kafka, vae);
    return of(topics.stepTimes(), topics.controllers(), topics.checkpoints().values(), from, to);
  }

  static LoopThroughput of(
      long[] stepTimes,
      List<ControllerUpdate> controllers,
      Collection<Checkpoint> checkpoints,
      Instant from,
      Instant to) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("the window must end after it starts");
    }
    long envSteps =
        LoopTopics.envStepsBy(stepTimes, to.toEpochMilli())
            - LoopTopics.envStepsBy(stepTimes, from.toEpochMilli());
    long generations =
        controllers.stream()
            .map(ControllerUpdate::getCreatedTime)
            .filter(t -> t.isAfter(from) && !t.isAfter(to))
            .count();
    return new LoopThroughput(
        envSteps,
        generations,
        gradientStepsBy(checkpoints, to) - gradientStepsBy(checkpoints, from),
        Duration.between(from, to));
  }

  /** The gradient steps of the newest checkpoint published by {@code time}; 0 before the first. */
  static long gradientStepsBy(Collection<Checkpoint> checkpoints, Instant time) {
    return checkpoints.stream()
        .filter(c -> !c.getCreatedTime().isAfter(time))
        .mapToLong(Checkpoint::getGradientSteps)
        .max()
        .orElse(0);
  }

  public double envStepsPerSecond() {
    return envSteps / seconds();
  }

  public double generationsPerMinute() {
    return generations / seconds() * 60;
  }

  public double gradientStepsPerMinute() {
    return gradientSteps / seconds() * 60;
  }

  private double seconds() {
    return window.toMillis() / 1000.0;
  }
}
