package io.worldstream.serving.dashboard;

import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records per second written to {@code wm.experience} (environment steps) and {@code wm.latents}
 * (encoded latents), from the change of the topics' end offsets between two looks. Not thread-safe.
 */
final class PipelineRates implements AutoCloseable {

  /** Steps and latents per second since the previous look (0 at the first). */
  record Rates(double stepsPerSecond, double latentsPerSecond) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private long lastSteps = -1;
  private long lastLatents = -1;
  private long lastNanos;
  private List<TopicPartition> experience;
  private List<TopicPartition> latentPartitions;

  PipelineRates(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    // The high watermark: a rate does not need to skip transaction markers.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  Rates look() {
    if (experience == null) {
      experience = partitions(Topics.EXPERIENCE.name());
      latentPartitions = partitions(Topics.LATENTS.name());
      List<TopicPartition> all = new java.util.ArrayList<>(experience);
      all.addAll(latentPartitions);
      // Assigned (never polled), so the consumer keeps no stale offsets to warn about.
      consumer.assign(all);
    }
    long steps = end(experience);
    long latents = end(latentPartitions);
    long now = System.nanoTime();
    Rates rates = new Rates(0, 0);
    if (lastSteps >= 0) {
      double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
      rates = new Rates((steps - lastSteps) / seconds, (latents - lastLatents) / seconds);
    }
    lastSteps = steps;
    lastLatents = latents;
    lastNanos = now;
    return rates;
  }

  private List<TopicPartition> partitions(String topic) {
    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
    return infos == null
        ? List.of()
        : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private long end(List<TopicPartition> partitions) {
    return consumer.endOffsets(partitions, Duration.ofSeconds(5)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
