package io.worldstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Timing a call repeatedly: its rate, or the median of its durations, after a warm-up. */
public final class Rates {

  private Rates() {}

  /** Items per second of {@code call} (which handles {@code itemsPerCall} each time). */
  public static double perSecond(
      Runnable call, int itemsPerCall, Duration warmup, Duration measure) {
    runFor(call, warmup);
    long calls = 0;
    long start = System.nanoTime();
    long end = start + measure.toNanos();
    long now;
    do {
      call.run();
      calls++;
      now = System.nanoTime();
    } while (now < end);
    return calls * itemsPerCall / ((now - start) / 1e9);
  }

  /** The median duration of {@code call} in milliseconds, over at least five calls. */
  public static double medianMillis(Runnable call, Duration warmup, Duration measure) {
    runFor(call, warmup);
    List<Double> millis = new ArrayList<>();
    long end = System.nanoTime() + measure.toNanos();
    while (System.nanoTime() < end || millis.size() < 5) {
      long start = System.nanoTime();
      call.run();
      millis.add((System.nanoTime() - start) / 1e6);
    }
    millis.sort(Double::compare);
    return millis.get(millis.size() / 2);
  }

  private static void runFor(Runnable call, Duration time) {
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      call.run();
    }
  }
}
