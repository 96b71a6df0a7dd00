package io.worldstream.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time by thread kind (names with their numbers folded, so a kind's threads add up), to say
 * where a benchmark's cores went: a snapshot now, the CPU used since a snapshot, and the process's
 * total; and by the {@link Part} of the loop a thread works for.
 */
public final class ThreadCpu {

  /** A part of the loop, and the thread names that belong to it. */
  public enum Part {
    WORKER("worker", "^env-|worker|experience"),
    ENCODER("encoder", "encode|streamthread|stream-thread"),
    EVALUATOR("evaluator", "evaluator|real-check|dream"),
    LEARNER(
        "learner",
        "learn|flink|window|sequenc|source|sink|pekko|rpc|mailbox|checkpoint|legacy|async"
            + "|jobmanager|taskmanager"),
    SERVING("serving", "javalin|jetty|qtp|dashboard|registry|serving|thinn|panel"),
    BROKER(
        "broker",
        "kafka|raft|broker|controller|log-cleaner|replica|data-plane|request-handler"
            + "|group-coord|quorum|metadata|socket|processor|transaction"),
    /** Java threads no part's names match. */
    OTHER("other", null),
    /**
     * Threads the JVM does not run as Java threads: ONNX Runtime's and PyTorch's pools, the garbage
     * collector and the compilers.
     */
    NATIVE("native", null);

    private final String label;
    private final Pattern names;

    Part(String label, String names) {
      this.label = label;
      this.names = names == null ? null : Pattern.compile(names);
    }

    public String label() {
      return label;
    }

    /** The part a Java thread of this name works for, by the first part whose names match. */
    public static Part of(String threadName) {
      String name = threadName.toLowerCase(Locale.ROOT);
      for (Part part : values()) {
        if (part.names != null && part.names.matcher(name).find()) {
          return part;
        }
      }
      return OTHER;
    }
  }

  private ThreadCpu() {}

  /**
   * CPU nanoseconds by part, in {@link Part} order: each thread kind's in {@code used} by its name,
   * and the process's {@code processNanos} that no Java thread used as {@link Part#NATIVE}.
   */
  public static Map<Part, Long> byPart(Map<String, Long> used, long processNanos) {
    Map<Part, Long> parts = new EnumMap<>(Part.class);
    for (Part part : Part.values()) {
      parts.put(part, 0L);
    }
    long java = 0;
    for (Map.Entry<String, Long> kind : used.entrySet()) {
      parts.merge(Part.of(kind.getKey()), kind.getValue(), Long::sum);
      java += kind.getValue();
    }
    parts.put(Part.NATIVE, Math.max(0, processNanos - java));
    return parts;
  }

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
