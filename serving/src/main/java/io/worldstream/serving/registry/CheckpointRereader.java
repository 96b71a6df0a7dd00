package io.worldstream.serving.registry;

import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a checkpoint's record again from {@code wm.checkpoints} by its offset, committed records
 * only: how the registry serves a model whose bytes it no longer keeps in memory. One consumer,
 * made on first use, reads one record at a time.
 */
final class CheckpointRereader implements CheckpointRegistry.Rereader {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> clientConfig;
  private KafkaConsumer<String, byte[]> consumer;

  CheckpointRereader(Map<String, Object> clientConfig) {
    this.clientConfig = Map.copyOf(clientConfig);
  }

  /**
   * The record at the entry's offset; empty when retention or compaction removed it.
   *
   * @throws IllegalStateException if the record is there but could not be read in time
   */
  @Override
  public synchronized Optional<Checkpoint> reread(CheckpointEntry entry) {
    if (consumer == null) {
      Map<String, Object> config = new HashMap<>(clientConfig);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      config.putIfAbsent(
          ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_MAX_MESSAGE_BYTES);
      consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
    TopicPartition partition = new TopicPartition(Topics.CHECKPOINTS.name(), entry.partition());
    consumer.assign(List.of(partition));
    if (consumer.beginningOffsets(List.of(partition), TIMEOUT).get(partition) > entry.offset()) {
      return Optional.empty();
    }
    consumer.seek(partition, entry.offset());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() == entry.offset()) {
          return Optional.of(
              Topics.CHECKPOINTS.valueSerde().deserializer().deserialize(null, record.value()));
        }
        if (record.offset() > entry.offset()) {
          return Optional.empty(); // removed between the check and the read
        }
      }
    }
    throw new IllegalStateException(
        "checkpoint v"
            + entry.version()
            + " of "
            + entry.lineage()
            + " could not be read again at offset "
            + entry.offset());
  }

  @Override
  public synchronized void close() {
    if (consumer != null) {
      consumer.close();
    }
  }
}
