package io.worldstream.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thinning against a real broker: the models a rule drops are published again as metadata alone,
 * the registry answers them as gone while listing every version, the newest and the best-driving
 * controllers' checkpoints keep theirs, and the broker's compaction then really removes the dropped
 * models' bytes from wm.checkpoints, so a registry started afterwards lists the same.
 */
class ModelThinnerIntegrationTest {

  private static final String LINEAGE = "alpha";
  private static final int VERSIONS = 40;
  private static final ModelThinning RULE = new ModelThinning(8, 1, Duration.ofMinutes(1));

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private KafkaSettings kafka;
  private final byte[] model = MdnGraphs.step(RandomWeights.mdn(1), "thinning");

  @BeforeEach
  void publish() throws Exception {
    cluster = KafkaTestCluster.embedded(dataDir);
    kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
    compactSoon();
    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      for (long v = 1; v <= VERSIONS; v++) {
        publish(producer, v);
      }
      // The best-driving controller was found on an old checkpoint, the newest on a recent one.
      TestRecords.send(
          producer,
          Topics.CONTROLLERS,
          LINEAGE,
          TestRecords.controller(LINEAGE, 1, 3, 0f, List.of(0f, 0f, 0f))
              .setRealReturn(600.0)
              .build());
      TestRecords.send(
          producer,
          Topics.CONTROLLERS,
          LINEAGE,
          TestRecords.controller(LINEAGE, 2, 30, 0f, List.of(0f, 0f, 0f))
              .setRealReturn(100.0)
              .build());
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void shouldDropTheRulesModelsKeepEveryVersionAndLetCompactionFreeTheBytes() throws Exception {
    Set<Long> dropped =
        LongStream.rangeClosed(1, VERSIONS)
            .filter(v -> !RULE.keepsByAge(v, VERSIONS) && v != 3 && v != 30)
            .boxed()
            .collect(Collectors.toSet());
    assertThat(dropped).as("the rule drops some, not all").isNotEmpty().hasSizeLessThan(VERSIONS);

    try (CheckpointRegistry registry = caughtUpRegistry();
        ModelThinner thinner = new ModelThinner(registry, kafka.clientConfig(), RULE)) {
      assertThat(thinner.pass()).isEqualTo(dropped.size());
      awaitThinned(registry, dropped);
      assertThat(thinner.pass()).as("nothing is thinned twice").isZero();
      assertModelsAsTheRuleSays(registry, dropped);
    }

    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      Thread.sleep(1_100); // past segment.ms: the next record rolls the segment, cleanable now
      publish(producer, VERSIONS + 1);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Map<Long, Integer> modelsOnTopic = modelsOnTopic();
    while (modelsOnTopic.keySet().stream().anyMatch(dropped::contains)
        && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      modelsOnTopic = modelsOnTopic();
    }
    assertThat(modelsOnTopic.keySet())
        .as("versions whose model bytes are still on the topic after compaction")
        .doesNotContainAnyElementsOf(dropped)
        .hasSize(VERSIONS + 1 - dropped.size());

    try (CheckpointRegistry restarted = caughtUpRegistry()) {
      assertThat(restarted.versions(LINEAGE, Optional.empty(), Optional.empty(), Optional.empty()))
          .get()
          .asList()
          .hasSize(VERSIONS + 1);
      assertModelsAsTheRuleSays(restarted, dropped);
      assertThat(restarted.details(LINEAGE, 5).orElseThrow().checkpoint().stepsTrained())
          .as("a thinned version's metadata survives compaction")
          .isEqualTo(5_000);
    }
  }

  private void assertModelsAsTheRuleSays(CheckpointRegistry registry, Set<Long> dropped) {
    for (long v = 1; v <= VERSIONS; v++) {
      CheckpointRegistry.Model found = registry.model(LINEAGE, v);
      if (dropped.contains(v)) {
        assertThat(found).as("v%d", v).isInstanceOf(CheckpointRegistry.Model.Gone.class);
        assertThat(((CheckpointRegistry.Model.Gone) found).reason()).contains("thinned");
      } else {
        assertThat(found).as("v%d", v).isInstanceOf(CheckpointRegistry.Model.Found.class);
      }
    }
  }

  private CheckpointRegistry caughtUpRegistry() throws InterruptedException {
    CheckpointRegistry registry = new CheckpointRegistry(kafka.clientConfig(), 1);
    assertThat(registry.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
    return registry;
  }

  private static void awaitThinned(CheckpointRegistry registry, Set<Long> dropped)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && !dropped.stream()
            .allMatch(
                v ->
                    registry
                        .details(LINEAGE, v)
                        .orElseThrow()
                        .checkpoint()
                        .thinned()
                        .isPresent())) {
      Thread.sleep(100);
    }
  }

  /** Model bytes per version as a reader of wm.checkpoints from its beginning finds them. */
  private Map<Long, Integer> modelsOnTopic() {
    Map<Long, Integer> sizes = new HashMap<>();
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_MAX_MESSAGE_BYTES);
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(
            config,
            List.of(Topics.CHECKPOINTS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      while (!reader.caughtUp()) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          Checkpoint checkpoint =
              Topics.CHECKPOINTS.valueSerde().deserializer().deserialize(null, record.value());
          int bytes = checkpoint.getOnnxModel().remaining();
          if (bytes > 0) {
            sizes.put(checkpoint.getVersion(), bytes);
          }
        }
      }
    }
    return sizes;
  }

  private void publish(KafkaProducer<String, byte[]> producer, long version) throws Exception {
    TestRecords.send(
        producer,
        Topics.CHECKPOINTS,
        Topics.checkpointKey(LINEAGE, version),
        TestRecords.checkpoint(LINEAGE, version, "aaaa1111", model, false).build());
  }

  /** Segments roll after a second and any dirt is worth cleaning: the cleaner acts in seconds. */
  private void compactSoon() throws Exception {
    try (Admin admin = kafka.connectedAdmin()) {
      ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHECKPOINTS.name());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic,
                  List.of(
                      set(TopicConfig.SEGMENT_MS_CONFIG, "1000"),
                      set(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01"))))
          .all()
          .get();
    }
  }

  private static AlterConfigOp set(String name, String value) {
    return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
  }
}
