package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An accelerated soak: {@code up} runs for {@code -Dsoak.minutes} (25 by default) with topic bounds
 * small enough to be reached in minutes — 64 MiB of frames and 8 MiB of latents per partition, the
 * checkpoint log compacted every minute with the newest 8 models kept — while its data directory's
 * size and its live heap (after a full collection) are sampled every 30 s. Both must level off: the
 * last third of the run may not rise above the middle third by more than 15 % (plus 64 MB for
 * segments rolling and the collector's slack). The curve is printed and written to {@code
 * target/soak.csv}. Long, so not in every build: {@code mvn -Psoak verify -pl app}.
 */
class SoakCheck {

  private static final long MIB = 1024 * 1024;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  @TempDir Path dir;

  /** One sample of the run. */
  record Sample(double minutes, long diskBytes, long heapBytes) {}

  @Test
  void diskAndHeapLevelOffUnderSmallBounds() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "25"));
    List<Sample> samples = new ArrayList<>();
    try (UpProcess up = new UpProcess(dir, List.of("--keep-newest-models", "8"))) {
      up.start("soak");
      KafkaSettings kafka = up.kafka();
      up.await(() -> !TopicContents.read(kafka, Topics.CHECKPOINTS).isEmpty(), "a checkpoint");
      shrinkBounds(kafka);
      long start = System.nanoTime();
      long end = start + Math.round(minutes * 60e9);
      while (System.nanoTime() < end) {
        Thread.sleep(30_000);
        Sample sample =
            new Sample(
                (System.nanoTime() - start) / 60e9, size(dir.resolve("data")), liveHeap(up.pid()));
        samples.add(sample);
        System.out.printf(
            "soak: %.1f min, data directory %d MB, live heap %d MB%n",
            sample.minutes(), sample.diskBytes() / 1_000_000, sample.heapBytes() / 1_000_000);
      }
      up.stop();
    }
    writeCsv(samples);

    int third = samples.size() / 3;
    List<Sample> middle = samples.subList(third, 2 * third);
    List<Sample> last = samples.subList(2 * third, samples.size());
    assertThat(max(last, Sample::diskBytes))
        .as("disk in the last third against the middle third")
        .isLessThanOrEqualTo(Math.round(max(middle, Sample::diskBytes) * 1.15) + 64 * MIB);
    assertThat(max(last, Sample::heapBytes))
        .as("live heap in the last third against the middle third")
        .isLessThanOrEqualTo(Math.round(max(middle, Sample::heapBytes) * 1.15) + 64 * MIB);
  }

  /** Bounds reached in minutes rather than hours; the broker applies them while up runs. */
  private static void shrinkBounds(KafkaSettings kafka) throws Exception {
    try (Admin admin = kafka.connectedAdmin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic(Topics.EXPERIENCE.name()),
                  List.of(
                      set(TopicConfig.RETENTION_BYTES_CONFIG, 64 * MIB),
                      set(TopicConfig.SEGMENT_BYTES_CONFIG, 16 * MIB)),
                  topic(Topics.LATENTS.name()),
                  List.of(
                      set(TopicConfig.RETENTION_BYTES_CONFIG, 8 * MIB),
                      set(TopicConfig.SEGMENT_BYTES_CONFIG, 2 * MIB)),
                  topic(Topics.CHECKPOINTS.name()),
                  List.of(
                      set(TopicConfig.SEGMENT_MS_CONFIG, 60_000),
                      set(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1"))))
          .all()
          .get();
    }
  }

  private static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  private static AlterConfigOp set(String name, Object value) {
    return new AlterConfigOp(
        new ConfigEntry(name, String.valueOf(value)), AlterConfigOp.OpType.SET);
  }

  /** Bytes under a directory whose files come and go while it is walked. */
  private static long size(Path root) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile).mapToLong(SoakCheck::sizeOrZero).sum();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // deleted since it was listed
    }
  }

  /** The JVM's heap in use just after a full collection, by {@code jcmd}. */
  private static long liveHeap(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    assertThat(used.find()).as("jcmd GC.heap_info names the heap in use").isTrue();
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  private static long max(List<Sample> samples, ToLongFunction<Sample> value) {
    return samples.stream().mapToLong(value).max().orElseThrow();
  }

  private static void writeCsv(List<Sample> samples) throws IOException {
    List<String> lines = new ArrayList<>(List.of("minutes,data_bytes,live_heap_bytes"));
    samples.forEach(
        s -> lines.add(String.format("%.2f,%d,%d", s.minutes(), s.diskBytes(), s.heapBytes())));
    Path csv = Path.of("target", "soak.csv");
    Files.createDirectories(csv.getParent());
    Files.write(csv, lines);
    System.out.println("soak: curve written to " + csv.toAbsolutePath());
  }
}
