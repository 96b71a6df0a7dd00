package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.ModelInService;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.producers.ExperienceProducer;
import io.worldstream.records.LatentStep;
import io.worldstream.records.VaeModel;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VAE travels as a record: an encoder started without a file follows wm.vae, takes the newest
 * VAE published there (not every one on the way), and refuses one whose bytes do not match its
 * version, keeping the VAE in service.
 */
class VaeTopicIntegrationTest {

  @TempDir Path dir;
  private KafkaTestCluster cluster;
  private KafkaSettings kafka;

  @BeforeEach
  void startBroker() {
    cluster = KafkaTestCluster.start(dir.resolve("kafka"));
    kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
  }

  @AfterEach
  void stopBroker() {
    cluster.close();
  }

  @Test
  void followsTheNewestVaeOnTheTopicAndRefusesACorruptOne() throws Exception {
    byte[] first = randomEncoder(5);
    byte[] second = randomEncoder(6);
    try (ModelInService<VaeEncoder> vae =
            VaeEncoder.inService(DefaultVae.encoder(), "the bundled default VAE", 1);
        VaeTopicFollower follower = new VaeTopicFollower(kafka.clientConfig(), vae)) {
      String bundled = vae.version();
      follower.run();
      assertThat(vae.version()).as("nothing published yet").isEqualTo(bundled);

      publish(first, ModelVersion.of(first));
      publish(second, ModelVersion.of(second));
      runUntil(follower, () -> vae.version().equals(ModelVersion.of(second)));
      assertThat(vae.version()).as("the newest").isEqualTo(ModelVersion.of(second));

      // Bytes that are not what their version says: refused, the VAE in service stays.
      publish(first, ModelVersion.of(second).replace('a', 'b').replace('0', '1'));
      for (int i = 0; i < 10; i++) {
        follower.run();
      }
      assertThat(vae.version()).isEqualTo(ModelVersion.of(second));
    }
  }

  @Test
  void encodesWithTheVaePublishedOnTheTopic() throws Exception {
    byte[] published = randomEncoder(7);
    publish(published, ModelVersion.of(published));
    try (ModelInService<VaeEncoder> vae =
            VaeEncoder.inService(DefaultVae.encoder(), "the bundled default VAE", 1);
        Encoder encoder =
            new Encoder(kafka, EncoderSettings.defaults(dir.resolve("state")), vae, line -> {})) {
      encoder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!vae.version().equals(ModelVersion.of(published)) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(vae.version()).as("in service").isEqualTo(ModelVersion.of(published));
      try (ExperienceProducer producer = new ExperienceProducer(kafka.clientConfig(), "test")) {
        for (int t = 0; t < 20; t++) {
          producer.send(Experience.step("episode-a", t));
        }
        producer.flush();
      }
      List<LatentStep> latents = new ArrayList<>();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try (var reader =
          new TopicReader<>(
              kafka.clientConfig(),
              List.of(Topics.LATENTS.name()),
              TopicReader.From.BEGINNING,
              Topics.LATENTS.keySerde().deserializer(),
              Topics.LATENTS.valueSerde().deserializer())) {
        while (latents.size() < 20 && System.nanoTime() < deadline) {
          reader.poll(Duration.ofMillis(200)).forEach(r -> latents.add(r.value()));
        }
      }
      assertThat(latents).hasSize(20);
      assertThat(latents)
          .extracting(LatentStep::getVaeVersion)
          .containsOnly(ModelVersion.of(published));
    }
  }

  private static byte[] randomEncoder(long seed) {
    return VaeGraphs.encoder(
        RandomWeights.gaussian(VaeSpec.weightShapes(), seed, (name, shape) -> 0.02),
        "test " + seed);
  }

  private void publish(byte[] encoder, String version) throws Exception {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MODEL_MAX_MESSAGE_BYTES);
    try (var producer =
        new KafkaProducer<>(
            config, Topics.VAE.keySerde().serializer(), Topics.VAE.valueSerde().serializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.VAE.name(),
                  version,
                  VaeModel.newBuilder()
                      .setVersion(version)
                      .setEncoderOnnx(ByteBuffer.wrap(encoder))
                      .setDescription("test")
                      .setCreatedTime(Instant.now())
                      .build()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static void runUntil(Runnable task, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      task.run();
      Thread.sleep(100);
    }
  }
}
