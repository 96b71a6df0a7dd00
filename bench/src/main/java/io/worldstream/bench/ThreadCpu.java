package io.worldstream.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time by thread kind (names with their numbers folded, so a kind's threads add up), to say
 * where a benchmark's cores went: a snapshot now, the CPU used since a snapshot, and the process's
 * total.
 */
public final class ThreadCpu {

  private ThreadCpu() {}

  /** CPU nanoseconds of every live Java thread so far, by folded thread name. */
  public static Map<String, Long> snapshot() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long nanos = threads.getThreadCpuTime(id);
      if (info != null && nanos > 0) {
        cpu.merge(fold(info.getThreadName()), nanos, Long::sum);
      }
    }
    return cpu;
  }

  /**
   * Adds each thread kind's CPU since {@code since} to {@code into}, leaving out {@code except}.
   */
  public static void addSince(Map<String, Long> into, Map<String, Long> since, String except) {
    snapshot()
        .forEach(
            (name, nanos) -> {
              if (!name.equals(except)) {
                into.merge(name, nanos - since.getOrDefault(name, 0L), Long::sum);
              }
            });
  }

  /** A thread's name with ids and numbers folded. */
  public static String fold(String threadName) {
    return threadName.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "*").replaceAll("\\d+", "N");
  }

  /** CPU nanoseconds of the whole process so far (Java, native and GC threads). */
  public static long processNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /** Cores used by the busiest thread kinds over {@code seconds}; the rest is native or GC. */
  public static void print(
      PrintWriter out, Map<String, Long> used, long processNanos, double seconds) {
    long java = used.values().stream().mapToLong(Long::longValue).sum();
    used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> out.printf("  %.2f  %s%n", e.getValue() / 1e9 / seconds, e.getKey()));
    out.printf(
        "  %.2f  no Java thread: native threads (ONNX Runtime, libtorch), GC, JIT%n",
        (processNanos - java) / 1e9 / seconds);
    out.flush();
  }
}
