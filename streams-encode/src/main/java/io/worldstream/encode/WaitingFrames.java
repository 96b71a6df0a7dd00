package io.worldstream.encode;

import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads a task's waiting frames again from {@code wm.experience}, by offset. The frame buffer logs
 * where each waiting frame is rather than the frame itself (8 bytes against 27 KB), so a task that
 * restarts after a crash fetches the few frames it had left waiting from the input log, which keeps
 * every record until its retention runs out.
 */
final class WaitingFrames {

  private WaitingFrames() {}

  /**
   * The records at {@code offsets} (ascending) of {@code partition}, by offset. A consumer with
   * Kafka Streams' restore-consumer settings reads from the first offset to the last; records in
   * between that are not waiting (encoded already, or dead letters) are skipped undecoded.
   *
   * @throws IllegalStateException when some are not there within {@code timeout}: the input was
   *     deleted by retention before the task came back
   */
  static Map<Long, ExperienceStep> read(
      Map<String, Object> streamsConfig,
      String clientId,
      TopicPartition partition,
      List<Long> offsets,
      Duration timeout) {
    Set<Long> wanted = Set.copyOf(offsets);
    long first = offsets.get(0);
    long last = offsets.get(offsets.size() - 1);
    Map<String, Object> config =
        new StreamsConfig(streamsConfig).getRestoreConsumerConfigs(clientId);
    Map<Long, ExperienceStep> found = new HashMap<>();
    OffsetOutOfRangeException deleted = null;
    var values = Topics.EXPERIENCE.valueSerde().deserializer();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, first);
      // Offsets at or past the log's end were never written: no point waiting for them.
      long readTo = Math.min(last, consumer.endOffsets(List.of(partition)).get(partition) - 1);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < wanted.size()
          && consumer.position(partition) <= readTo
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (wanted.contains(record.offset())) {
            found.put(record.offset(), values.deserialize(partition.topic(), record.value()));
          }
        }
      }
    } catch (OffsetOutOfRangeException e) {
      deleted = e; // the restore consumer never resets: the first offset is below the log's start
    }
    if (found.size() < wanted.size()) {
      throw new IllegalStateException(
          String.format(
              "%d of %d waiting frames (offsets %d to %d of %s) could not be read again within %s;"
                  + " has retention deleted them?",
              wanted.size() - found.size(), wanted.size(), first, last, partition, timeout),
          deleted);
    }
    return found;
  }
}
