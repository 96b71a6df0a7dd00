package io.worldstream.serving.evaluator;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.TopicFollower;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * never offered), and per VAE version the latents of the newest episode starts, where dreams begin,
 * and of states later in the newest episodes, where a share of the search's dreams begin. Where
 * checkpoints come from a {@code CheckpointRegistry} already (the server, {@code dream}), {@link
 * #startsOnly} follows {@code wm.latents} alone.
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

  /** Every this many steps of an episode (after its first), a state is kept as a dream start. */
  static final int MID_EPISODE_EVERY = 50;

  private final int startsPerVae;
  private final Consumer<String> say;
  private final Map<String, VerifiedCheckpoint> newest = new HashMap<>();
  private final Map<String, Deque<LatentStep>> firstSteps = new HashMap<>();
  private final Map<String, Deque<LatentStep>> laterSteps = new HashMap<>();
  private final TopicFollower<String, byte[]> follower;

  /**
   * @param say where refusals are told, each a sentence its reader prefixes with its own name
   */
  public DreamInputs(Map<String, Object> clientConfig, int startsPerVae, Consumer<String> say) {
    this(
        clientConfig, startsPerVae, say, List.of(Topics.CHECKPOINTS.name(), Topics.LATENTS.name()));
  }

  /** Episode starts alone, for a reader that takes its checkpoints from the registry. */
  public static DreamInputs startsOnly(Map<String, Object> clientConfig, int startsPerVae) {
    return new DreamInputs(clientConfig, startsPerVae, line -> {}, List.of(Topics.LATENTS.name()));
  }

  private DreamInputs(
      Map<String, Object> clientConfig,
      int startsPerVae,
      Consumer<String> say,
      List<String> topics) {
    this.startsPerVae = startsPerVae;
    this.say = say;
    this.follower =
        new TopicFollower<>(
            "dream-inputs",
            clientConfig,
            topics,
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

  /** Dream starts from episodes' first steps encoded by this VAE, or empty while there are none. */
  public Optional<LatentPool> starts(String vaeVersion) {
    return starts(vaeVersion, 0);
  }

  /**
   * Dream starts from real episodes encoded by this VAE, {@code midEpisodeShare} of them from
   * states later in an episode and the rest from first steps (only first steps until a later one
   * arrives), or empty while no first step has arrived.
   */
  public synchronized Optional<LatentPool> starts(String vaeVersion, double midEpisodeShare) {
    List<LatentStep> first = List.copyOf(firstSteps.getOrDefault(vaeVersion, new ArrayDeque<>()));
    if (first.isEmpty()) {
      return Optional.empty();
    }
    List<LatentStep> later = List.copyOf(laterSteps.getOrDefault(vaeVersion, new ArrayDeque<>()));
    List<LatentStep> chosen = mix(first, later, midEpisodeShare);
    return Optional.of(
        new LatentPool(
            chosen.stream().map(s -> toArray(s.getMu())).toList(),
            chosen.stream().map(s -> toArray(s.getLogvar())).toList()));
  }

  /**
   * The newest first and later steps in the proportion {@code 1 − share : share}, as many as both
   * lists allow; all first steps when there are no later ones or the share is 0.
   */
  static <T> List<T> mix(List<T> first, List<T> later, double share) {
    if (share <= 0 || later.isEmpty()) {
      return first;
    }
    double total = Math.min(first.size() / (1 - share), later.size() / share);
    int firstCount = Math.max(1, (int) Math.round(total * (1 - share)));
    int laterCount = Math.max(1, (int) Math.round(total * share));
    List<T> chosen = new ArrayList<>(first.subList(first.size() - firstCount, first.size()));
    chosen.addAll(later.subList(later.size() - laterCount, later.size()));
    return chosen;
  }

  /** Whether its topics have been read up to where they ended when reading began. */
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
    if (step.getStep() % MID_EPISODE_EVERY == 0) {
      keep(step.getStep() == 0 ? firstSteps : laterSteps, step);
    }
  }

  private synchronized void keep(Map<String, Deque<LatentStep>> kept, LatentStep step) {
    Deque<LatentStep> steps = kept.computeIfAbsent(step.getVaeVersion(), v -> new ArrayDeque<>());
    steps.addLast(step);
    if (steps.size() > startsPerVae) {
      steps.removeFirst();
    }
  }

  private void accept(Checkpoint checkpoint) {
    if (checkpoint.getThinned() != null) {
      return; // an older version's metadata without its model: nothing to dream in
    }
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
      say.accept(refusal);
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
