package io.worldstream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.LatentStep;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaBrokerIntegrationTest {

  private static final int EPISODES = 100;
  private static final int STEPS = 100;
  private static final String GROUP = "integration-reader";

  @TempDir static Path dataDir;
  private KafkaTestCluster cluster;

  @BeforeAll
  void startBroker() {
    // The embedded broker is what this module makes; it is also the one that can restart.
    cluster = KafkaTestCluster.embedded(dataDir);
  }

  @AfterAll
  void stopBroker() {
    cluster.close();
  }

  @Test
  @Order(1)
  void shouldCreateTheCatalogueOnceAndThenLeaveItAlone() {
    try (Admin admin = admin()) {
      TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));

      assertThat(topics.createMissing(Optional.empty()))
          .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(t -> t.name()).toList());
      assertThat(topics.createMissing(Optional.empty())).isEmpty();
      assertThat(topics.describe())
          .extracting(TopicAdmin.TopicState::name, TopicAdmin.TopicState::partitions)
          .containsExactlyElementsOf(
              Topics.all().stream()
                  .map(t -> org.assertj.core.groups.Tuple.tuple(t.name(), t.partitions()))
                  .toList());
    }
  }

  @Test
  @Order(2)
  void shouldDeliverEveryRecordExactlyOnceFromAnIdempotentProducer() {
    try (var producer = producer()) {
      for (int step = 0; step < STEPS; step++) {
        for (int episode = 0; episode < EPISODES; episode++) {
          LatentStep latent = latent("episode-" + episode, step);
          producer.send(new ProducerRecord<>(Topics.LATENTS.name(), latent.getEpisodeId(), latent));
        }
      }
      producer.flush();
    }

    List<LatentStep> read = readAll(GROUP, true);

    assertExactlyOnceInOrder(read);
  }

  @Test
  @Order(3)
  void shouldKeepEveryRecordAndCommittedOffsetAcrossARestart() throws Exception {
    cluster.restart();

    assertExactlyOnceInOrder(readAll("after-restart", false));
    try (Admin admin = admin()) {
      long committed =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get()
              .values()
              .stream()
              .mapToLong(o -> o.offset())
              .sum();
      assertThat(committed).isEqualTo((long) EPISODES * STEPS);
    }
  }

  @Test
  @Order(4)
  void shouldMeasureAGroupsLagFromWhatItCommitted() throws Exception {
    try (Admin admin = admin()) {
      TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));
      assertThat(topics.lag(GROUP, Topics.LATENTS.name())).isZero();
      assertThat(topics.lag("never-read", Topics.LATENTS.name()))
          .isEqualTo((long) EPISODES * STEPS);
      try (var producer = producer()) {
        for (int episode = 0; episode < 7; episode++) {
          LatentStep latent = latent("late-" + episode, 0);
          producer.send(new ProducerRecord<>(Topics.LATENTS.name(), latent.getEpisodeId(), latent));
        }
        producer.flush();
      }
      assertThat(topics.lag(GROUP, Topics.LATENTS.name())).isEqualTo(7);
    }
  }

  private static void assertExactlyOnceInOrder(List<LatentStep> read) {
    assertThat(read).hasSize(EPISODES * STEPS);
    Set<String> seen = new HashSet<>();
    Map<String, Integer> lastStep = new HashMap<>();
    for (LatentStep latent : read) {
      assertThat(seen.add(latent.getEpisodeId() + "/" + latent.getStep()))
          .as("duplicate %s/%d", latent.getEpisodeId(), latent.getStep())
          .isTrue();
      int previous = lastStep.getOrDefault(latent.getEpisodeId(), -1);
      assertThat(latent.getStep())
          .as("order within %s", latent.getEpisodeId())
          .isEqualTo(previous + 1);
      lastStep.put(latent.getEpisodeId(), latent.getStep());
    }
  }

  private List<LatentStep> readAll(String group, boolean commit) {
    List<LatentStep> read = new ArrayList<>();
    try (var consumer = consumer(group)) {
      consumer.subscribe(List.of(Topics.LATENTS.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.size() < EPISODES * STEPS && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, LatentStep> record : consumer.poll(Duration.ofMillis(200))) {
          assertThat(record.key()).isEqualTo(record.value().getEpisodeId());
          read.add(record.value());
        }
      }
      // Anything beyond the expected count would be a duplicate: give it a chance to show up.
      consumer.poll(Duration.ofMillis(500)).forEach(r -> read.add(r.value()));
      if (commit) {
        consumer.commitSync();
      }
    }
    return read;
  }

  private static LatentStep latent(String episode, int step) {
    return LatentSteps.step(episode, step, List.of((float) step, 0f), "test")
        .setAction(List.of(0f, 1f, 0f))
        .setReward(0.1)
        .setTerminated(step == STEPS - 1)
        .build();
  }

  private Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
  }

  private KafkaProducer<String, LatentStep> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        Topics.LATENTS.keySerde().serializer(),
        Topics.LATENTS.valueSerde().serializer());
  }

  private KafkaConsumer<String, LatentStep> consumer(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        Topics.LATENTS.keySerde().deserializer(),
        Topics.LATENTS.valueSerde().deserializer());
  }
}
