package io.worldstream.app;

import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topic;
import io.worldstream.schemas.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a topic holds, read by tests that run Worldstream in other processes. */
final class TopicContents {

  private TopicContents() {}

  /** Every committed record of a topic, decoded; empty while the broker or topic is not up. */
  static <V> List<V> read(KafkaSettings kafka, Topic<String, V> topic) {
    return read(kafka, topic, Function.identity());
  }

  /**
   * What {@code keep} takes of every committed record of a topic, in order; only that is held (the
   * records of big topics are read once each); empty while the broker or topic is not up.
   */
  static <V, T> List<T> read(KafkaSettings kafka, Topic<String, V> topic, Function<V, T> keep) {
    List<T> values = new ArrayList<>();
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(topic.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      do {
        reader
            .poll(Duration.ofMillis(200))
            .forEach(
                r ->
                    values.add(
                        keep.apply(
                            topic.valueSerde().deserializer().deserialize(null, r.value()))));
      } while (!reader.caughtUp());
    } catch (RuntimeException e) {
      return List.of();
    }
    return values;
  }

  /** Records written to a topic, from its offsets (frames are too many to read back). */
  static long records(KafkaSettings kafka, String topic) {
    try (var consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      long begin =
          consumer.beginningOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      return end - begin;
    }
  }
}
