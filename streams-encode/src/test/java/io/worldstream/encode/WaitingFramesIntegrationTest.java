package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting frames read again by offset from a real broker's log. */
class WaitingFramesIntegrationTest {

  private static final TopicPartition PARTITION = new TopicPartition(Topics.EXPERIENCE.name(), 0);

  @TempDir Path dataDir;
  private KafkaTestCluster cluster;
  private Map<String, Object> streamsConfig;

  @BeforeEach
  void start() throws Exception {
    cluster = KafkaTestCluster.start(dataDir.resolve("kafka"));
    streamsConfig =
        Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG,
            "waiting-frames-test",
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.EXACTLY_ONCE_V2);
    try (Admin admin =
        Admin.create(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(PARTITION.topic(), 1, (short) 1))).all().get();
    }
    // Offsets 0..5: good steps, with undecodable bytes at 2 and 4 (what the DLQ took).
    var values = Topics.EXPERIENCE.valueSerde().serializer();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int t = 0; t < 6; t++) {
        byte[] value =
            t == 2 || t == 4
                ? "not a frame".getBytes(StandardCharsets.UTF_8)
                : values.serialize(PARTITION.topic(), Experience.step("ep", t));
        producer.send(new ProducerRecord<>(PARTITION.topic(), 0, null, value)).get();
      }
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void readsTheWaitingOffsetsAndSkipsWhatLiesBetween() {
    Map<Long, ExperienceStep> frames =
        WaitingFrames.read(
            streamsConfig, "t", PARTITION, List.of(1L, 3L, 5L), Duration.ofSeconds(30));

    assertThat(frames).containsOnlyKeys(1L, 3L, 5L);
    assertThat(frames.get(3L)).isEqualTo(Experience.step("ep", 3));
    assertThat(frames.get(5L).getStep()).isEqualTo(5);
  }

  @Test
  void saysWhichFramesAreGone() {
    assertThatThrownBy(
            () ->
                WaitingFrames.read(
                    streamsConfig, "t", PARTITION, List.of(5L, 9L), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 of 2 waiting frames (offsets 5 to 9 of wm.experience-0)");
  }

  @Test
  void saysWhenRetentionDeletedThem() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      admin.deleteRecords(Map.of(PARTITION, RecordsToDelete.beforeOffset(3))).all().get();
    }

    assertThatThrownBy(
            () ->
                WaitingFrames.read(
                    streamsConfig, "t", PARTITION, List.of(1L, 3L), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 of 2 waiting frames (offsets 1 to 3 of wm.experience-0)")
        .hasCauseInstanceOf(OffsetOutOfRangeException.class);
  }
}
