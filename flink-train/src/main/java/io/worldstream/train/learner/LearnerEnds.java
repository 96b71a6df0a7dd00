package io.worldstream.train.learner;

import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.service.EffectiveConfiguration;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The learner job's Kafka ends: latents in (read_committed, from the offsets its Flink checkpoints
 * committed), checkpoints and dead letters out through exactly-once sinks, and the versions already
 * on {@code wm.checkpoints} for a job that starts without state.
 */
final class LearnerEnds {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LearnerEnds.class);

  /** How long a transaction of the exactly-once sinks may stay open (the broker allows 2 h). */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  private final KafkaSettings kafka;
  private final String applicationId;

  LearnerEnds(KafkaSettings kafka, String applicationId) {
    this.kafka = kafka;
    this.applicationId = applicationId;
  }

  KafkaSource<LatentInput> latents() {
    return KafkaSource.<LatentInput>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setProperties(clientProperties())
        .setTopics(Topics.LATENTS.name())
        .setGroupId(applicationId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setDeserializer(new LatentDeserializer())
        .build();
  }

  KafkaSink<PublishedModel> checkpoints() {
    return KafkaSink.<PublishedModel>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setKafkaProducerConfig(producerProperties())
        .setRecordSerializer(new Publishing.Checkpoints())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(applicationId + "-checkpoints")
        .build();
  }

  KafkaSink<LatentInput> deadLetters() {
    return KafkaSink.<LatentInput>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setKafkaProducerConfig(producerProperties())
        .setRecordSerializer(new Publishing.DeadLetters())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(applicationId + "-dead-letters")
        .build();
  }

  /**
   * The newest version of each lineage on wm.checkpoints (records that do not decode are passed
   * over): where a learner that starts without state continues the numbering.
   *
   * @throws IllegalStateException if the topic is not read to its end within {@code timeout}
   */
  static Map<String, Long> publishedVersions(KafkaSettings kafka, Duration timeout) {
    Map<String, Long> newest = new HashMap<>();
    var values = Topics.CHECKPOINTS.valueSerde().deserializer();
    try (TopicReader<byte[], byte[]> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.CHECKPOINTS.name()),
            TopicReader.From.BEGINNING,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reader.caughtUp()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read wm.checkpoints to its end in "
                  + EffectiveConfiguration.duration(timeout)
                  + " to continue its version numbers");
        }
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
          try {
            Checkpoint checkpoint = values.deserialize(Topics.CHECKPOINTS.name(), record.value());
            newest.merge(checkpoint.getLineage().toString(), checkpoint.getVersion(), Math::max);
          } catch (RuntimeException e) {
            log.warn("Passing over an unreadable checkpoint at offset {}: {}", record.offset(), e);
          }
        }
      }
    }
    return newest;
  }

  private Properties clientProperties() {
    Properties properties = new Properties();
    kafka.client().forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
    return properties;
  }

  private Properties producerProperties() {
    Properties properties = clientProperties();
    properties.setProperty(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES));
    properties.setProperty(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
    return properties;
  }
}
