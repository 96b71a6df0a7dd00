package io.worldstream.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads whole topics without a consumer group: assigns every partition, starts at the beginning (or
 * at the end, to see only what comes next), returns committed records as they arrive, and says when
 * it has caught up with the end offsets the topics had when it started. How a registry is rebuilt
 * at start, a worker learns the newest controller, or a training run reads a topic once. Not
 * thread-safe, except {@link #wakeup()}.
 */
public final class TopicReader<K, V> implements AutoCloseable {

  /** Where reading starts. */
  public enum From {
    BEGINNING,
    END
  }

  private final KafkaConsumer<K, V> consumer;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> ends;
  private boolean caughtUp;

  /**
   * @param clientConfig bootstrap servers and client settings; this reader adds read_committed and
   *     no group
   * @throws IllegalStateException if a topic does not exist
   */
  public TopicReader(
      Map<String, Object> clientConfig,
      Collection<String> topics,
      From from,
      Deserializer<K> keys,
      Deserializer<V> values) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_MAX_MESSAGE_BYTES);
    this.consumer = new KafkaConsumer<>(config, keys, values);
    try {
      this.partitions =
          topics.stream()
              .flatMap(
                  topic -> {
                    var infos = consumer.partitionsFor(topic);
                    if (infos == null || infos.isEmpty()) {
                      throw new IllegalStateException(
                          "Topic "
                              + topic
                              + " does not exist; create it with 'worldstream topics create'");
                    }
                    return infos.stream();
                  })
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      if (from == From.BEGINNING) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      // Seeks are lazy; resolve them now, so that "the end" is the end at construction.
      partitions.forEach(consumer::position);
      this.ends = consumer.endOffsets(partitions);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** The records that arrived, waiting up to {@code timeout}; may be empty. */
  public ConsumerRecords<K, V> poll(Duration timeout) {
    ConsumerRecords<K, V> records = consumer.poll(timeout);
    if (!caughtUp) {
      caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }
    return records;
  }

  /**
   * Whether every record that was in the topics when this reader started has been returned (after
   * transaction markers and aborted records, which take offsets but are never returned).
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Makes a blocked {@link #poll} throw {@code WakeupException}; safe from any thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
