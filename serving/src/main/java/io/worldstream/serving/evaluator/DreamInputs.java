package io.worldstream.serving.evaluator;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the evaluator dreams with, kept current by a background thread that reads {@code
 * wm.checkpoints} and {@code wm.latents} from the beginning and follows them: the newest checkpoint
 * of every lineage whose model matches its sha256 (a corrupt one is refused with a log line and
 * never offered), and per VAE version the latents of the newest episode starts, where dreams begin.
 */
public final class DreamInputs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DreamInputs.class);

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

  private final TopicReader<String, byte[]> reader;
  private final int startsPerVae;
  private final Consumer<String> say;
  private final Map<String, VerifiedCheckpoint> newest = new HashMap<>();
  private final Map<String, Deque<LatentStep>> starts = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile Throwable failure;
  private volatile boolean caughtUp;

  /**
   * @param say where refusals are told
   */
  public DreamInputs(Map<String, Object> clientConfig, int startsPerVae, Consumer<String> say) {
    this.startsPerVae = startsPerVae;
    this.say = say;
    this.reader =
        new TopicReader<>(
            clientConfig,
            List.of(Topics.CHECKPOINTS.name(), Topics.LATENTS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.thread = new Thread(this::follow, "evaluator-inputs");
    thread.setDaemon(true);
    thread.start();
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
    return caughtUp;
  }

  /** Why following stopped, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void follow() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
          accept(record);
        }
        caughtUp = caughtUp || reader.caughtUp();
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      reader.close();
    }
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.topic().equals(Topics.CHECKPOINTS.name())) {
        accept(Topics.CHECKPOINTS.valueSerde().deserializer().deserialize(null, record.value()));
      } else {
        LatentStep step =
            Topics.LATENTS.valueSerde().deserializer().deserialize(null, record.value());
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
    } catch (RuntimeException e) {
      log.warn(
          "Skipping {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
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
    running.set(false);
    reader.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
