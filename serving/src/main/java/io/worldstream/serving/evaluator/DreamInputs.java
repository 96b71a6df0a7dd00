package io.worldstream.serving.evaluator;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.TopicFollower;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the evaluator dreams with, kept current by a background thread that reads {@code
 * wm.checkpoints} and {@code wm.latents} from the beginning and follows them: the newest checkpoint
 * of every lineage whose model matches its sha256 (a corrupt one is refused with a log line and
 * never offered), and per VAE version the latents of the newest episode starts, where dreams begin.
 */
public final class DreamInputs implements AutoCloseable {

  /** A checkpoint whose bytes matched its sha256. */
  record VerifiedCheckpoint(Checkpoint record, byte[] model) {
    String lineage() {
      return record.getLineage();
    }

    long version() {
      return record.getVersion();
    }

    String vaeVersion() {
      return record.getVaeVersion();
    }

    String describe() {
      return "checkpoint v" + version() + " of " + lineage();
    }
  }

  private final int startsPerVae;
  private final Consumer<String> say;
  private final Map<String, VerifiedCheckpoint> newest = new HashMap<>();
  private final Map<String, Deque<LatentStep>> starts = new HashMap<>();
  private final TopicFollower<String, byte[]> follower;

  /**
   * @param say where refusals are told
   */
  public DreamInputs(Map<String, Object> clientConfig, int startsPerVae, Consumer<String> say) {
    this.startsPerVae = startsPerVae;
    this.say = say;
    this.follower =
        new TopicFollower<>(
            "evaluator-inputs",
            clientConfig,
            List.of(Topics.CHECKPOINTS.name(), Topics.LATENTS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            this::accept);
  }

  /** The newest verified checkpoint, of {@code lineage} or of any lineage. */
  synchronized Optional<VerifiedCheckpoint> newest(Optional<String> lineage) {
    return lineage
        .map(l -> Optional.ofNullable(newest.get(l)))
        .orElseGet(
            () ->
                newest.values().stream()
                    .max(
                        (a, b) ->
                            Long.compare(
                                a.record().getCreatedTime().toEpochMilli(),
                                b.record().getCreatedTime().toEpochMilli())));
  }

  /** Dream starts from real episodes encoded by this VAE, or empty while there are none. */
  public synchronized Optional<LatentPool> starts(String vaeVersion) {
    Deque<LatentStep> steps = starts.get(vaeVersion);
    if (steps == null || steps.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new LatentPool(
            steps.stream().map(s -> toArray(s.getMu())).toList(),
            steps.stream().map(s -> toArray(s.getLogvar())).toList()));
  }

  /** Whether both topics have been read up to where they ended when reading began. */
  public boolean caughtUp() {
    return follower.caughtUp();
  }

  /** Why following stopped, if it did. */
  public Optional<Throwable> failure() {
    return follower.failure();
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    if (record.topic().equals(Topics.CHECKPOINTS.name())) {
      accept(Topics.CHECKPOINTS.valueSerde().deserializer().deserialize(null, record.value()));
      return;
    }
    LatentStep step = Topics.LATENTS.valueSerde().deserializer().deserialize(null, record.value());
    if (step.getStep() == 0) {
      synchronized (this) {
        Deque<LatentStep> steps =
            starts.computeIfAbsent(step.getVaeVersion(), v -> new ArrayDeque<>());
        steps.addLast(step);
        if (steps.size() > startsPerVae) {
          steps.removeFirst();
        }
      }
    }
  }

  private void accept(Checkpoint checkpoint) {
    byte[] model;
    try {
      model = ModelVersion.verified(checkpoint.getOnnxModel(), checkpoint.getSha256());
    } catch (IllegalArgumentException e) {
      String refusal =
          "refused checkpoint v"
              + checkpoint.getVersion()
              + " of "
              + checkpoint.getLineage()
              + ": "
              + e.getMessage();
      say.accept("evaluator: " + refusal);
      return;
    }
    synchronized (this) {
      VerifiedCheckpoint previous = newest.get(checkpoint.getLineage());
      if (previous == null || checkpoint.getVersion() > previous.version()) {
        newest.put(checkpoint.getLineage(), new VerifiedCheckpoint(checkpoint, model));
      }
    }
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  @Override
  public void close() {
    follower.close();
  }
}
