package io.worldstream.encode;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Whether a failed stream thread is replaced or the encoder stops. A fault that passes — a broker
 * answering a transaction's commit with an unexpected error while it aborts that transaction after
 * a stall, as seen on a loaded machine — costs a moment: the new thread resumes its tasks from
 * their last commit, so exactly-once holds. One that recurs stops the encoder with its cause: more
 * than {@code most} failures within {@code window}.
 */
final class ThreadReplacements {

  static final int DEFAULT_MOST = 3;
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

  private final int most;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Deque<Long> recent = new ArrayDeque<>();

  ThreadReplacements(int most, Duration window, LongSupplier nanoTime) {
    if (most < 0) {
      throw new IllegalArgumentException("replacements cannot be negative: " + most);
    }
    this.most = most;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  static ThreadReplacements defaults() {
    return new ThreadReplacements(DEFAULT_MOST, DEFAULT_WINDOW, System::nanoTime);
  }

  /** Counts a failure now: true if its thread is replaced, false if the encoder is to stop. */
  synchronized boolean replace() {
    long now = nanoTime.getAsLong();
    while (!recent.isEmpty() && now - recent.peekFirst() >= windowNanos) {
      recent.removeFirst();
    }
    if (recent.size() >= most) {
      return false;
    }
    recent.addLast(now);
    return true;
  }

  /** Replacements within the window, the newest failure's included. */
  synchronized int recent() {
    return recent.size();
  }

  /** What the policy allows, for log lines: "3 within 10 min". */
  String describe() {
    return most + " within " + Duration.ofNanos(windowNanos).toMinutes() + " min";
  }
}
