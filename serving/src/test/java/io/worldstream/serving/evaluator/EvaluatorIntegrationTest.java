package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator against a real broker, on checkpoints and latents a test publishes. */
class EvaluatorIntegrationTest {

  private static final String VAE = ModelVersion.of(DefaultVae.encoder());

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private KafkaProducer<String, byte[]> producer;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = KafkaTestCluster.embedded(dataDir);
    kafka().createMissingTopics();
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Topics.MODEL_MAX_MESSAGE_BYTES),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterEach
  void stop() {
    producer.close();
    cluster.close();
  }

  private KafkaSettings kafka() {
    return KafkaSettings.at(cluster.bootstrapServers());
  }

  private static EvaluatorSettings settings() {
    return EvaluatorSettings.defaults().withSearch(8, 2, 30).withRealCheck(2, List.of(1L));
  }

  @Test
  void publishesEachGenerationOnceAcrossRestartsAndRefusesACorruptCheckpoint() throws Exception {
    publishStarts(4);
    publishCheckpoint(1, model(3), false);

    runUntil(3);
    runUntil(5);
    List<EvaluationReport> reports = reports();
    assertThat(reports).extracting(EvaluationReport::getCheckpointVersion).containsOnly(1L);
    assertThat(reports)
        .as("generations of checkpoint v1, each once, across the restart")
        .extracting(EvaluationReport::getGeneration)
        .containsExactlyElementsOf(IntStream.range(0, reports.size()).boxed().toList());
    assertThat(reports.size()).isGreaterThanOrEqualTo(5);
    assertThat(controllers())
        .extracting(ControllerUpdate::getVersion)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, reports.size()).mapToObj(v -> (long) v).toList());
    assertThat(reports)
        .extracting(EvaluationReport::getControllerVersion)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, reports.size()).mapToObj(v -> (long) v).toList());
    EvaluationReport checked = reports.get(1);
    assertThat(checked.getRealEpisodes()).as("a real episode every 2 generations").isEqualTo(1);
    assertThat(checked.getRealReturn()).isNotNull();
    assertThat(reports.get(0).getRealReturn()).isNull();
    assertThat(said).anyMatch(line -> line.contains("continuing default after generation"));

    publishCheckpoint(2, model(4), true);
    Evaluator evaluator = new Evaluator(kafka(), settings(), said::add);
    evaluator.start();
    try {
      await(() -> said.stream().anyMatch(l -> l.contains("refused checkpoint v2")), "v2 refused");
      int before = reports().size();
      await(() -> reports().size() >= before + 1, "a generation after the refusal");
      assertThat(reports()).extracting(EvaluationReport::getCheckpointVersion).containsOnly(1L);

      publishCheckpoint(3, model(5), false);
      await(
          () -> reports().stream().anyMatch(r -> r.getCheckpointVersion() == 3),
          "a generation on v3");
    } finally {
      evaluator.stop(Duration.ofSeconds(10));
    }
    assertThat(evaluator.failure()).isEmpty();
    EvaluationReport firstOnV3 =
        reports().stream().filter(r -> r.getCheckpointVersion() == 3).findFirst().orElseThrow();
    assertThat(firstOnV3.getGeneration()).isZero();
    assertThat(controllers()).extracting(ControllerUpdate::getVersion).doesNotHaveDuplicates();
  }

  /** Runs an evaluator until the topic holds {@code reports} reports, then stops it. */
  private void runUntil(int reports) throws Exception {
    Evaluator evaluator = new Evaluator(kafka(), settings(), said::add);
    evaluator.start();
    try {
      await(() -> reports().size() >= reports, reports + " reports");
    } finally {
      evaluator.stop(Duration.ofSeconds(10));
    }
    assertThat(evaluator.failure()).isEmpty();
  }

  private static byte[] model(long seed) {
    return MdnGraphs.step(DreamSearchTest.actionMatters(RandomWeights.mdn(seed)), "test-" + seed);
  }

  private void publishStarts(int episodes) throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    for (int e = 0; e < episodes; e++) {
      List<Float> mu = new ArrayList<>();
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        mu.add((float) random.nextGaussian());
      }
      LatentStep step =
          LatentStep.newBuilder()
              .setEpisodeId("episode-" + e)
              .setStep(0)
              .setMu(mu)
              .setLogvar(Collections.nCopies(MdnSpec.LATENT, -2f))
              .setAction(List.of(0f, 0f, 0f))
              .setReward(0)
              .setTerminated(false)
              .setTruncated(false)
              .setVaeVersion(VAE)
              .setEventTime(Instant.now())
              .setEncodeTime(Instant.now())
              .build();
      producer
          .send(
              new ProducerRecord<>(
                  Topics.LATENTS.name(),
                  step.getEpisodeId(),
                  Topics.LATENTS.valueSerde().serializer().serialize(null, step)))
          .get();
    }
  }

  private void publishCheckpoint(long version, byte[] model, boolean corrupt) throws Exception {
    byte[] travelling = model.clone();
    if (corrupt) {
      travelling[travelling.length / 2] ^= 0x55;
    }
    Checkpoint checkpoint =
        Checkpoint.newBuilder()
            .setLineage("default")
            .setVersion(version)
            .setParentVersion(version > 1 ? version - 1 : null)
            .setVaeVersion(VAE)
            .setStepsTrained(0)
            .setEpisodesTrained(0)
            .setTrainLoss(0)
            .setHeldOutLoss(null)
            .setCreatedTime(Instant.now())
            .setSha256(ModelVersion.of(model))
            .setOnnxModel(ByteBuffer.wrap(travelling))
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.CHECKPOINTS.name(),
                "default",
                Topics.CHECKPOINTS.valueSerde().serializer().serialize(null, checkpoint)))
        .get();
  }

  private List<EvaluationReport> reports() {
    return read(Topics.EVALUATIONS.name()).stream()
        .map(r -> Topics.EVALUATIONS.valueSerde().deserializer().deserialize(null, r.value()))
        .toList();
  }

  private List<ControllerUpdate> controllers() {
    return read(Topics.CONTROLLERS.name()).stream()
        .map(r -> Topics.CONTROLLERS.valueSerde().deserializer().deserialize(null, r.value()))
        .toList();
  }

  private List<ConsumerRecord<String, byte[]>> read(String topic) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(
            kafka().clientConfig(),
            List.of(topic),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      do {
        reader.poll(Duration.ofMillis(100)).forEach(records::add);
      } while (!reader.caughtUp());
    }
    return records;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
