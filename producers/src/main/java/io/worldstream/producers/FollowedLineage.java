package io.worldstream.producers;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a worker keeps of the lineage it follows: the newest controller, and the checkpoints a
 * controller can still name — those from the newest controller's own checkpoint on (the evaluator
 * searches ever newer ones), at most {@code capacity} of them: the newest controller's own, however
 * long it stays in service, and the newest others. A checkpoint holds its model (a few MB), and a
 * learner publishes one every few seconds: keeping them all would fill the heap in a day. Safe to
 * read from any thread while one thread accepts.
 */
final class FollowedLineage {

  /** Checkpoints kept at most: minutes of an evaluator that lags behind the learner. */
  static final int DEFAULT_CAPACITY = 64;

  private final int capacity;
  private final AtomicReference<ControllerUpdate> latest = new AtomicReference<>();
  private final NavigableMap<Long, Checkpoint> checkpoints = new ConcurrentSkipListMap<>();

  FollowedLineage(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("keep one checkpoint at least, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** The newest controller seen so far, or null. */
  ControllerUpdate latest() {
    return latest.get();
  }

  /** A kept checkpoint by version, or null. */
  Checkpoint checkpoint(long version) {
    return checkpoints.get(version);
  }

  /** Versions of the checkpoints kept, oldest first. */
  java.util.List<Long> keptVersions() {
    return java.util.List.copyOf(checkpoints.keySet());
  }

  /** Keeps a checkpoint; one whose model was thinned away has nothing to drive with. */
  void accept(Checkpoint checkpoint) {
    if (checkpoint.getThinned() != null) {
      return;
    }
    checkpoints.put(checkpoint.getVersion(), checkpoint);
    forget();
  }

  /**
   * @return whether it is the newest controller now
   */
  boolean accept(ControllerUpdate update) {
    ControllerUpdate previous = latest.get();
    if (previous != null && update.getVersion() <= previous.getVersion()) {
      return false;
    }
    latest.set(update);
    forget();
    return true;
  }

  private void forget() {
    ControllerUpdate newest = latest.get();
    Long inService = newest == null ? null : newest.getCheckpointVersion();
    if (inService != null) {
      checkpoints.headMap(inService, false).clear();
    }
    // The controller in service may stay for hours while newer checkpoints arrive: its own
    // checkpoint is the oldest kept, and the ones after it make room for newer ones.
    while (checkpoints.size() > capacity) {
      Long oldest = checkpoints.firstKey();
      checkpoints.remove(oldest.equals(inService) ? checkpoints.higherKey(oldest) : oldest);
    }
  }
}
