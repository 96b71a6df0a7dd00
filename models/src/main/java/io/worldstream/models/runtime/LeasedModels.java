package io.worldstream.models.runtime;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Models loaded once per key and shared by the requests that run on them (dreams on a server, the
 * environments of a worker): a request leases a model for as long as it uses it, and a model closes
 * only once it is no longer among the {@code kept} most recently leased and no request holds it.
 * Loading happens outside the lock, so a slow load (a model read again from Kafka) holds up no
 * other request.
 *
 * @param <T> the model (an ONNX Runtime session: closing one in use would free native memory under
 *     a running request)
 */
public final class LeasedModels<T extends AutoCloseable> implements AutoCloseable {

  /** A model held by one request; closing the lease hands it back. */
  public final class Lease implements AutoCloseable {
    private final Entry<T> entry;
    private boolean released;

    private Lease(Entry<T> entry) {
      this.entry = entry;
    }

    public T model() {
      return entry.model;
    }

    @Override
    public void close() {
      synchronized (LeasedModels.this) {
        if (!released) {
          released = true;
          entry.leases--;
          closeIfIdle(entry);
        }
      }
    }
  }

  private static final class Entry<T> {
    final T model;
    int leases;
    boolean retired;

    Entry(T model) {
      this.model = model;
    }
  }

  private final int kept;
  private final Map<String, Entry<T>> entries = new LinkedHashMap<>(8, 0.75f, true);
  private boolean closed;

  public LeasedModels(int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("keep one model at least, not " + kept);
    }
    this.kept = kept;
  }

  /** Leases the model under {@code key}, loading it with {@code load} if none is kept. */
  public Lease lease(String key, Supplier<T> load) {
    synchronized (this) {
      ensureOpen();
      Entry<T> entry = entries.get(key);
      if (entry != null) {
        entry.leases++;
        return new Lease(entry);
      }
    }
    T loaded = load.get();
    synchronized (this) {
      if (closed) {
        shut(loaded);
        ensureOpen();
      }
      Entry<T> entry = entries.get(key);
      if (entry == null) {
        entry = new Entry<>(loaded);
        entries.put(key, entry);
      } else {
        shut(loaded); // another request loaded it meanwhile
      }
      entry.leases++;
      Lease lease = new Lease(entry);
      retireBeyond(kept);
      return lease;
    }
  }

  private void retireBeyond(int limit) {
    Iterator<Entry<T>> eldestFirst = entries.values().iterator();
    for (int excess = entries.size() - limit; excess > 0; excess--) {
      Entry<T> entry = eldestFirst.next();
      eldestFirst.remove();
      entry.retired = true;
      closeIfIdle(entry);
    }
  }

  private void closeIfIdle(Entry<T> entry) {
    if (entry.retired && entry.leases == 0) {
      shut(entry.model);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the models are closed");
    }
  }

  private static void shut(AutoCloseable model) {
    try {
      model.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close a model: " + e.getMessage(), e);
    }
  }

  /** Closes the models no request holds; the others close when their last lease is handed back. */
  @Override
  public synchronized void close() {
    closed = true;
    retireBeyond(0);
  }
}
