package io.worldstream.serving.registry;

import io.worldstream.models.ModelVersion;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.schemas.TopicFollower;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry: {@code wm.checkpoints} materialised in memory, rebuilt from the beginning of
 * the topic at every start (nothing local to corrupt), together with the evaluations that ran on
 * each checkpoint and the best controller found on it ({@code wm.evaluations}, {@code
 * wm.controllers}). Metadata is kept for every version; model bytes only for the newest few of each
 * lineage, older ones are read again from the topic by their offset when asked for. Records are
 * applied idempotently by lineage and version (a repeated version is ignored). A model whose bytes
 * do not match its sha256 is marked corrupt and never served. Thread-safe.
 */
public final class CheckpointRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CheckpointRegistry.class);

  /** What asking for a model's bytes found. */
  public sealed interface Model {
    record Found(CheckpointEntry entry, byte[] onnx) implements Model {}

    record Unknown() implements Model {}

    record Corrupt(CheckpointEntry entry, String reason) implements Model {}

    /** Known, but its bytes are no longer on the topic (thinned, or removed by retention). */
    record Gone(CheckpointEntry entry, String reason) implements Model {}
  }

  /** One checkpoint with what ran on it. */
  public record Details(
      CheckpointEntry checkpoint,
      List<EvaluationReport> evaluations,
      Optional<ControllerUpdate> bestController) {}

  private final int modelsKept;
  private final Map<String, NavigableMap<Long, CheckpointEntry>> entries = new HashMap<>();
  private final Map<String, NavigableMap<Long, byte[]>> models = new HashMap<>();
  private final Map<String, NavigableMap<Long, List<EvaluationReport>>> evaluations =
      new HashMap<>();
  private final Map<String, NavigableMap<Long, ControllerUpdate>> controllers = new HashMap<>();

  /**
   * Per lineage, the controllers whose real check scored highest, best first (the newer of equal
   * scores first), at most {@link #BEST_KEPT}: a checkpoint's newest controller replaces the one
   * checked on it in {@link #controllers}, so these are kept apart.
   */
  private final Map<String, List<ControllerUpdate>> bestChecked = new HashMap<>();

  /** Checked controllers kept per lineage, best first. */
  static final int BEST_KEPT = 64;

  /** How a model's bytes that are no longer kept in memory are read again. */
  public interface Rereader extends AutoCloseable {
    /** The checkpoint's record, read again; empty when it is gone from the topic. */
    Optional<Checkpoint> reread(CheckpointEntry entry);

    @Override
    default void close() {}
  }

  private final Rereader rereader;

  /** What feeds the registry from Kafka; null for a registry fed by hand. */
  private final TopicFollower<String, byte[]> follower;

  /**
   * A registry that follows {@code wm.checkpoints}, {@code wm.evaluations} and {@code
   * wm.controllers} from their beginning.
   *
   * @param modelsKept model bytes kept in memory per lineage (the newest versions)
   */
  public CheckpointRegistry(Map<String, Object> clientConfig, int modelsKept) {
    this(modelsKept, new CheckpointRereader(clientConfig), clientConfig);
  }

  /**
   * A registry fed by its {@code accept} methods alone, as its follower would feed it: for tools
   * and tests that hold the records themselves.
   */
  public static CheckpointRegistry fedByHand(int modelsKept, Rereader rereader) {
    return new CheckpointRegistry(modelsKept, rereader, null);
  }

  private CheckpointRegistry(int modelsKept, Rereader rereader, Map<String, Object> followed) {
    if (modelsKept < 1) {
      throw new IllegalArgumentException("the registry keeps at least one model per lineage");
    }
    this.modelsKept = modelsKept;
    this.rereader = rereader;
    this.follower =
        followed == null
            ? null
            : new TopicFollower<>(
                "checkpoint-registry",
                followed,
                List.of(
                    Topics.CHECKPOINTS.name(),
                    Topics.EVALUATIONS.name(),
                    Topics.CONTROLLERS.name()),
                TopicReader.From.BEGINNING,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                this::accept);
  }

  /** Whether everything published before the registry started has been read. */
  public boolean caughtUp() {
    return follower == null || follower.caughtUp();
  }

  /**
   * Waits until {@link #caughtUp}; false if the time ran out first.
   *
   * @throws IllegalStateException if reading stopped before it caught up
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower == null || follower.awaitCaughtUp(timeout);
  }

  public Optional<Throwable> failure() {
    return follower == null ? Optional.empty() : follower.failure();
  }

  /** Every lineage with its newest checkpoint. */
  public synchronized List<CheckpointEntry> lineages() {
    return entries.values().stream().map(v -> v.lastEntry().getValue()).toList();
  }

  /**
   * A lineage's checkpoints, oldest first, that pass the filters.
   *
   * @return empty if the lineage is unknown
   */
  public synchronized Optional<List<CheckpointEntry>> versions(
      String lineage, Optional<String> vaeVersion, Optional<Instant> from, Optional<Instant> to) {
    NavigableMap<Long, CheckpointEntry> versions = entries.get(lineage);
    if (versions == null) {
      return Optional.empty();
    }
    Predicate<CheckpointEntry> keep =
        e ->
            vaeVersion.map(v -> e.vaeVersion().startsWith(v)).orElse(true)
                && from.map(f -> !e.createdTime().isBefore(f)).orElse(true)
                && to.map(t -> e.createdTime().isBefore(t)).orElse(true);
    return Optional.of(versions.values().stream().filter(keep).toList());
  }

  public synchronized Optional<CheckpointEntry> latest(String lineage) {
    NavigableMap<Long, CheckpointEntry> versions = entries.get(lineage);
    return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }

  /**
   * The newest checkpoint whose model can be served — of {@code lineage}, or the newest created of
   * any lineage — passing over corrupt and thinned versions to the one before them.
   */
  public synchronized Optional<CheckpointEntry> newestSound(Optional<String> lineage) {
    Stream<NavigableMap<Long, CheckpointEntry>> searched =
        lineage
            .map(l -> Stream.ofNullable(entries.get(l)))
            .orElseGet(() -> entries.values().stream());
    return searched
        .flatMap(
            versions ->
                versions.descendingMap().values().stream()
                    .filter(e -> !e.corrupt() && e.thinned().isEmpty())
                    .limit(1))
        .max(Comparator.comparing(CheckpointEntry::createdTime));
  }

  public synchronized Optional<Details> details(String lineage, long version) {
    NavigableMap<Long, CheckpointEntry> versions = entries.get(lineage);
    CheckpointEntry entry = versions == null ? null : versions.get(version);
    if (entry == null) {
      return Optional.empty();
    }
    List<EvaluationReport> reports =
        List.copyOf(
            evaluations.getOrDefault(lineage, new TreeMap<>()).getOrDefault(version, List.of()));
    Optional<ControllerUpdate> best =
        Optional.ofNullable(controllers.getOrDefault(lineage, new TreeMap<>()).get(version));
    return Optional.of(new Details(entry, reports, best));
  }

  /** The newest controller published for a lineage, on whichever checkpoint it was found. */
  public synchronized Optional<ControllerUpdate> newestController(String lineage) {
    return controllers.getOrDefault(lineage, new TreeMap<>()).values().stream()
        .max(Comparator.comparingLong(ControllerUpdate::getVersion));
  }

  /**
   * The controller of a lineage whose real check (on the selection tracks) scored highest — the
   * best-driving controller the loop found so far — or empty before the first check.
   */
  public synchronized Optional<ControllerUpdate> bestController(String lineage) {
    return bestChecked.getOrDefault(lineage, List.of()).stream().findFirst();
  }

  /** Every evaluation report of a lineage, in the order they were published. */
  public synchronized List<EvaluationReport> evaluations(String lineage) {
    List<EvaluationReport> all = new ArrayList<>();
    evaluations.getOrDefault(lineage, new TreeMap<>()).values().forEach(all::addAll);
    all.sort(Comparator.comparing(EvaluationReport::getCreatedTime));
    return all;
  }

  /** A checkpoint's ONNX model, checked against its sha256. */
  public Model model(String lineage, long version) {
    CheckpointEntry entry;
    synchronized (this) {
      NavigableMap<Long, CheckpointEntry> versions = entries.get(lineage);
      entry = versions == null ? null : versions.get(version);
      if (entry == null) {
        return new Model.Unknown();
      }
      if (entry.thinned().isPresent()) {
        return new Model.Gone(entry, "its model was " + entry.thinned().get());
      }
      if (entry.corrupt()) {
        return new Model.Corrupt(entry, entry.problem().get());
      }
      byte[] kept = models.getOrDefault(lineage, new TreeMap<>()).get(version);
      if (kept != null) {
        return new Model.Found(entry, kept);
      }
    }
    Optional<Checkpoint> reread = rereader.reread(entry);
    if (reread.isEmpty()) {
      return new Model.Gone(
          entry,
          "its bytes are no longer on "
              + Topics.CHECKPOINTS.name()
              + " (retention removed offset "
              + entry.offset()
              + ")");
    }
    Checkpoint record = reread.get();
    try {
      return new Model.Found(
          entry, ModelVersion.verified(record.getOnnxModel(), record.getSha256()));
    } catch (IllegalArgumentException e) {
      return new Model.Corrupt(entry, e.getMessage());
    }
  }

  /**
   * The checkpoints whose model {@code rule} drops now: of every lineage, those still holding one
   * that are neither among its newest nor the checkpoint of its newest or best-driving controllers,
   * oldest first.
   */
  public synchronized List<CheckpointEntry> toThin(ModelThinning rule) {
    List<CheckpointEntry> thin = new ArrayList<>();
    entries.forEach(
        (lineage, versions) -> {
          long newest = versions.lastKey();
          Set<Long> protectedVersions = new HashSet<>();
          newestController(lineage).ifPresent(c -> protectedVersions.add(c.getCheckpointVersion()));
          bestChecked.getOrDefault(lineage, List.of()).stream()
              .limit(rule.bestControllers())
              .forEach(c -> protectedVersions.add(c.getCheckpointVersion()));
          for (CheckpointEntry entry : versions.values()) {
            if (entry.thinned().isEmpty()
                && !protectedVersions.contains(entry.version())
                && !rule.keepsByAge(entry.version(), newest)) {
              thin.add(entry);
            }
          }
        });
    return thin;
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    if (record.topic().equals(Topics.CHECKPOINTS.name())) {
      accept(
          Topics.CHECKPOINTS.valueSerde().deserializer().deserialize(null, record.value()),
          record.partition(),
          record.offset());
    } else if (record.topic().equals(Topics.EVALUATIONS.name())) {
      accept(Topics.EVALUATIONS.valueSerde().deserializer().deserialize(null, record.value()));
    } else {
      accept(Topics.CONTROLLERS.valueSerde().deserializer().deserialize(null, record.value()));
    }
  }

  public synchronized void accept(EvaluationReport report) {
    evaluations
        .computeIfAbsent(report.getLineage(), l -> new TreeMap<>())
        .computeIfAbsent(report.getCheckpointVersion(), v -> new ArrayList<>())
        .add(report);
  }

  /** A checkpoint's newest controller replaces an older one found on it. */
  public synchronized void accept(ControllerUpdate controller) {
    controllers
        .computeIfAbsent(controller.getLineage(), l -> new TreeMap<>())
        .merge(
            controller.getCheckpointVersion(),
            controller,
            (a, b) -> b.getVersion() > a.getVersion() ? b : a);
    if (controller.getRealReturn() != null) {
      keepIfAmongTheBest(controller);
    }
  }

  private void keepIfAmongTheBest(ControllerUpdate controller) {
    List<ControllerUpdate> best =
        bestChecked.computeIfAbsent(controller.getLineage(), l -> new ArrayList<>());
    if (best.stream().anyMatch(c -> c.getVersion() == controller.getVersion())) {
      return;
    }
    best.add(controller);
    best.sort(
        Comparator.comparingDouble(ControllerUpdate::getRealReturn)
            .thenComparingLong(ControllerUpdate::getVersion)
            .reversed());
    if (best.size() > BEST_KEPT) {
      best.remove(best.size() - 1);
    }
  }

  public void accept(Checkpoint checkpoint, int partition, long offset) {
    if (checkpoint.getThinned() != null) {
      thinned(checkpoint, partition, offset);
      return;
    }
    Optional<String> problem = Optional.empty();
    byte[] model = null;
    try {
      model = ModelVersion.verified(checkpoint.getOnnxModel(), checkpoint.getSha256());
    } catch (IllegalArgumentException e) {
      problem = Optional.of(e.getMessage());
      log.warn(
          "Checkpoint v{} of {} is corrupt: {}",
          checkpoint.getVersion(),
          checkpoint.getLineage(),
          e.getMessage());
    }
    String lineage = checkpoint.getLineage();
    synchronized (this) {
      NavigableMap<Long, CheckpointEntry> versions =
          entries.computeIfAbsent(lineage, l -> new TreeMap<>());
      if (versions.containsKey(checkpoint.getVersion())) {
        return;
      }
      versions.put(
          checkpoint.getVersion(), CheckpointEntry.of(checkpoint, partition, offset, problem));
      if (model != null) {
        NavigableMap<Long, byte[]> kept = models.computeIfAbsent(lineage, l -> new TreeMap<>());
        kept.put(checkpoint.getVersion(), model);
        while (kept.size() > modelsKept) {
          kept.pollFirstEntry();
        }
      }
    }
  }

  /**
   * A version's metadata published again without its model: the version stays listed, its model
   * answers as gone. Where compaction has already removed the record that carried the model, this
   * is the first the registry sees of the version.
   */
  private synchronized void thinned(Checkpoint checkpoint, int partition, long offset) {
    NavigableMap<Long, CheckpointEntry> versions =
        entries.computeIfAbsent(checkpoint.getLineage(), l -> new TreeMap<>());
    CheckpointEntry known = versions.get(checkpoint.getVersion());
    versions.put(
        checkpoint.getVersion(),
        known == null
            ? CheckpointEntry.of(checkpoint, partition, offset, Optional.empty())
            : known.thinnedBecause(checkpoint.getThinned()));
    NavigableMap<Long, byte[]> kept = models.get(checkpoint.getLineage());
    if (kept != null) {
      kept.remove(checkpoint.getVersion());
    }
  }

  @Override
  public void close() {
    if (follower != null) {
      follower.close();
    }
    rereader.close();
  }
}
