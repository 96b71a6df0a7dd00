package io.worldstream.serving.evaluator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest world models of the lineage the evaluator searches, newest first, for a search whose
 * dreams are spread over several versions of the model. Owns them: a model is closed when newer
 * ones push it out, when the search turns to another lineage, and at {@link #close}.
 *
 * @param <M> the model (a type parameter so that the bookkeeping is tested without ONNX Runtime)
 */
final class RecentModels<M extends AutoCloseable> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecentModels.class);

  private record Entry<M extends AutoCloseable>(String lineage, long version, M model) {}

  private final int kept;
  private final Deque<Entry<M>> entries = new ArrayDeque<>();

  /**
   * @param kept models kept at most, the newest
   */
  RecentModels(int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("at least one model is kept, not " + kept);
    }
    this.kept = kept;
  }

  /**
   * Adds the model of {@code lineage}'s checkpoint {@code version}, newer than the ones held.
   *
   * @return the models to dream in, newest first: this one and up to {@code kept − 1} before it of
   *     the same lineage
   */
  List<M> add(String lineage, long version, M model) {
    if (!entries.isEmpty() && !entries.peekFirst().lineage().equals(lineage)) {
      close();
    }
    entries.addFirst(new Entry<>(lineage, version, model));
    while (entries.size() > kept) {
      closeQuietly(entries.removeLast());
    }
    return entries.stream().map(Entry::model).toList();
  }

  /** The versions held, newest first. */
  List<Long> versions() {
    return entries.stream().map(Entry::version).toList();
  }

  @Override
  public void close() {
    while (!entries.isEmpty()) {
      closeQuietly(entries.removeFirst());
    }
  }

  private static void closeQuietly(Entry<?> entry) {
    try {
      entry.model().close();
    } catch (Exception e) {
      log.warn("closing the model of {} v{} failed", entry.lineage(), entry.version(), e);
    }
  }
}
