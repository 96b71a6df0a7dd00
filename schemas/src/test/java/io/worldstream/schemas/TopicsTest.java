package io.worldstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void shouldNameEveryTopicOnceUnderTheWmPrefix() {
    assertThat(Topics.all())
        .extracting(Topic::name)
        .doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("wm."));
    Topics.all().forEach(t -> assertThat(Topics.byName(t.name())).contains(t));
    assertThat(Topics.byName("wm.unknown")).isEmpty();
  }

  @Test
  void shouldLetModelTopicsCarryModelsInsideRecords() {
    assertThat(Topics.CHECKPOINTS.configs())
        .containsEntry(
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES));
    assertThat(Topics.MODEL_MAX_MESSAGE_BYTES).isGreaterThan(17 * 1024 * 1024); // a VAE as ONNX
  }

  @Test
  void shouldCoPartitionLatentsWithTheExperienceTheyEncode() {
    assertThat(Topics.LATENTS.partitions()).isEqualTo(Topics.EXPERIENCE.partitions());
  }

  @Test
  void shouldKeyCheckpointsByVersionSoCompactionKeepsEachVersion() {
    assertThat(Topics.CHECKPOINTS.configs())
        .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete");
    String key = Topics.checkpointKey("vae-88a6c909b35e", 42);
    assertThat(key).isEqualTo("vae-88a6c909b35e/42");
    assertThat(Topics.checkpointLineage(key)).isEqualTo("vae-88a6c909b35e");
    assertThat(Topics.checkpointLineage("vae-88a6c909b35e"))
        .as("a key written by an earlier release, the lineage alone")
        .isEqualTo("vae-88a6c909b35e");
  }

  @Test
  void shouldCreateTopicsWithTheirConfigsAndTheClusterDefaultReplication() {
    var created = Topics.CHECKPOINTS.newTopic(Optional.empty());
    assertThat(created.name()).isEqualTo("wm.checkpoints");
    assertThat(created.numPartitions()).isEqualTo(1);
    assertThat(created.replicationFactor()).isEqualTo((short) -1);
    assertThat(created.configs()).isEqualTo(Topics.CHECKPOINTS.configs());
  }

  @Test
  void shouldBoundWhatTheBigTopicsKeepOnDiskBySize() {
    for (Topic<?, ?> topic :
        java.util.List.of(Topics.EXPERIENCE, Topics.LATENTS, Topics.CHECKPOINTS)) {
      long retained = Long.parseLong(topic.configs().get(TopicConfig.RETENTION_BYTES_CONFIG));
      long segment = Long.parseLong(topic.configs().get(TopicConfig.SEGMENT_BYTES_CONFIG));
      assertThat(retained).as(topic.name()).isPositive();
      assertThat(segment)
          .as("%s deletes whole segments: several fit in what it keeps", topic.name())
          .isLessThanOrEqualTo(retained / 4)
          .isGreaterThanOrEqualTo(Topics.MODEL_MAX_MESSAGE_BYTES);
    }
    long gib = 1024L * 1024 * 1024;
    assertThat(Topics.boundedBytes())
        .isEqualTo(12 * gib + 8 * 128 * 1024 * 1024 + 256 * 1024 * 1024);
    assertThat(Topics.VAE.configs()).doesNotContainKey(TopicConfig.RETENTION_BYTES_CONFIG);
  }
}
