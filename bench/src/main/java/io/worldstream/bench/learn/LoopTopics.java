package io.worldstream.bench.learn;

import io.worldstream.models.dream.LatentPool;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topic;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.evaluator.CheckExperience;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a run of the loop left on its topics, read back to measure it afterwards: the controllers it
 * published, the checkpoints they were trained in, the first latents of its episodes (the real
 * states dreams start from), and when each step it encoded was taken, all of one VAE.
 *
 * @param starts the episodes' first latents, or null when the run encoded none
 * @param stepTimes the event time of every step the workers took, in epoch milliseconds, sorted:
 *     the encoder makes exactly one latent per step, and the latents outlive the frames (the
 *     experience topic keeps about an hour and a half of them)
 * @param checkSteps the steps of the evaluator's real checks that fed the model as well (none
 *     unless it learns from its checks), not among the workers' steps
 */
record LoopTopics(
    List<ControllerUpdate> controllers,
    Map<Long, Checkpoint> checkpoints,
    LatentPool starts,
    long[] stepTimes,
    long checkSteps) {

  /** Reads the topics from the beginning to their ends, keeping what belongs to {@code vae}. */
  static LoopTopics read(KafkaSettings kafka, String vaeVersion) {
    List<ControllerUpdate> controllers = new ArrayList<>();
    read(
        kafka,
        Topics.CONTROLLERS,
        r -> {
          if (r.value().getVaeVersion().equals(vaeVersion)) {
            controllers.add(r.value());
          }
        });
    Map<Long, Checkpoint> checkpoints = new HashMap<>();
    read(
        kafka,
        Topics.CHECKPOINTS,
        r -> {
          if (r.value().getVaeVersion().equals(vaeVersion) && r.value().getThinned() == null) {
            checkpoints.put(r.value().getVersion(), r.value());
          }
        });
    List<float[]> mu = new ArrayList<>();
    List<float[]> logvar = new ArrayList<>();
    long[][] times = {new long[1 << 16]};
    int[] steps = {0};
    long[] checkSteps = {0};
    read(
        kafka,
        Topics.LATENTS,
        r -> {
          LatentStep step = r.value();
          if (!step.getVaeVersion().equals(vaeVersion)) {
            return;
          }
          if (step.getEpisodeId().startsWith(CheckExperience.PUBLISHER_PREFIX)) {
            checkSteps[0]++;
          } else {
            if (steps[0] == times[0].length) {
              times[0] = Arrays.copyOf(times[0], times[0].length * 2);
            }
            times[0][steps[0]++] = step.getEventTime().toEpochMilli();
          }
          if (step.getStep() == 0) {
            mu.add(floats(step.getMu()));
            logvar.add(floats(step.getLogvar()));
          }
        });
    long[] stepTimes = Arrays.copyOf(times[0], steps[0]);
    Arrays.sort(stepTimes);
    return new LoopTopics(
        controllers,
        checkpoints,
        mu.isEmpty() ? null : new LatentPool(mu, logvar),
        stepTimes,
        checkSteps[0]);
  }

  /** The env steps the run had taken by {@code time}. */
  long envStepsBy(Instant time) {
    return envStepsBy(stepTimes, time.toEpochMilli());
  }

  /** How many of the sorted {@code times} are at or before {@code millis}. */
  static long envStepsBy(long[] times, long millis) {
    int low = 0;
    int high = times.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (times[mid] <= millis) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Hands every record of {@code topic}, from its beginning to its end now, to {@code each}. */
  static <V> void read(
      KafkaSettings kafka, Topic<String, V> topic, Consumer<ConsumerRecord<String, V>> each) {
    try (TopicReader<String, V> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(topic.name()),
            TopicReader.From.BEGINNING,
            topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
      while (!reader.caughtUp()) {
        reader.poll(Duration.ofMillis(500)).forEach(each);
      }
    }
  }

  /** How many episodes' first latents the dreams can start from. */
  int startCount() {
    return starts == null ? 0 : starts.size();
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
