package io.worldstream.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over a real broker: models read again from {@code wm.checkpoints} by their offset, a
 * model thinned or removed by retention on the topic, and a restart that rebuilds every answer. The
 * HTTP contract itself is {@code RegistryApiTest}'s, on a registry fed by hand.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryApiIntegrationTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static KafkaTestCluster.Embedded cluster;
  private static Serving serving;
  private static final List<byte[]> models = new ArrayList<>();
  private static final List<String> said = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void publishAndServe() throws Exception {
    cluster = KafkaTestCluster.embedded(dataDir);
    KafkaSettings kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      for (int v = 1; v <= 3; v++) {
        models.add(MdnGraphs.step(RandomWeights.mdn(v), "v" + v));
        send(producer, checkpoint("alpha", v, "aaaa1111", models.get(v - 1), false));
      }
      // A repeated version: ignored, the first one stays.
      send(producer, checkpoint("alpha", 2, "aaaa1111", models.get(0), false));
      send(producer, checkpoint("alpha", 4, "aaaa1111", models.get(0), true));
      send(producer, checkpoint("beta", 1, "bbbb2222", models.get(1), false));
      TestRecords.send(producer, Topics.EVALUATIONS, "alpha", report(3, 0));
      // Two checked controllers on v2: the newer replaces the better as v2's newest.
      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", checked(controller(2, 5), 650));
      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", checked(controller(2, 6), 300));
      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", controller(3, 7));
    }
    serving = start();
  }

  private static Serving start() throws Exception {
    Serving started =
        new Serving(
            KafkaSettings.at(cluster.bootstrapServers()),
            new ServingSettings("127.0.0.1", 0, 1, 2, 2, Duration.ofSeconds(1), Optional.empty()),
            said::add);
    started.start();
    return started;
  }

  @AfterAll
  static void stop() {
    if (serving != null) {
      serving.stop(Duration.ofSeconds(5));
    }
    cluster.close();
  }

  /** Runs last: it removes the records the other tests read models from again. */
  @Test
  @Order(Integer.MAX_VALUE)
  void answersGoneForAModelThatRetentionRemoved() throws Exception {
    TopicPartition partition = new TopicPartition(Topics.CHECKPOINTS.name(), 0);
    try (Admin admin =
        Admin.create(
            java.util.Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      long end =
          admin
              .listOffsets(java.util.Map.of(partition, OffsetSpec.latest()))
              .all()
              .get()
              .get(partition)
              .offset();
      admin
          .deleteRecords(java.util.Map.of(partition, RecordsToDelete.beforeOffset(end)))
          .all()
          .get();
    }

    // v1 of alpha is not among the models kept in memory (one per lineage here): its bytes would
    // be read again from the topic, which no longer has them.
    JsonNode gone = getJson("/api/lineages/alpha/checkpoints/1/model", 410);
    assertThat(gone.get("error").asText()).contains("no longer kept", "retention");
    // The newest, kept in memory, is still served; the metadata of every version stays.
    assertThat(get("/api/lineages/alpha/checkpoints/3/model").statusCode()).isEqualTo(200);
    assertThat(getJson("/api/lineages/alpha/checkpoints/1", 200).get("version").asLong())
        .isEqualTo(1);
  }

  @Test
  void servesModelsThatMatchTheirSha256AndNeverACorruptOne() throws Exception {
    // Only the newest model is kept in memory: v1 is read again from the topic by its offset.
    for (int v = 1; v <= 3; v++) {
      HttpResponse<byte[]> response = get("/api/lineages/alpha/checkpoints/" + v + "/model");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(models.get(v - 1));
      assertThat(response.headers().firstValue("X-Worldstream-Sha256"))
          .contains(ModelVersion.of(models.get(v - 1)));
    }
    JsonNode corrupt = getJson("/api/lineages/alpha/checkpoints/4/model", 409);
    assertThat(corrupt.get("error").asText()).contains("v4", "corrupt");
    assertThat(getJson("/api/lineages/alpha/checkpoints/latest/model", 409).get("error").asText())
        .as("the newest of alpha is the corrupt v4")
        .contains("v4", "corrupt");
    HttpResponse<byte[]> latest = get("/api/lineages/beta/checkpoints/latest/model");
    assertThat(latest.statusCode()).isEqualTo(200);
    assertThat(latest.headers().firstValue("X-Worldstream-Sha256"))
        .contains(getJson("/api/lineages/beta/checkpoints/latest", 200).get("sha256").asText());
    assertThat(getJson("/api/lineages/gamma/checkpoints/latest/model", 404).get("error").asText())
        .contains("gamma");
    assertThat(getJson("/api/lineages/alpha/checkpoints/4", 200).get("problem").asText())
        .contains("sha256");
  }

  /** Runs after the tests that count lineages: it adds one. */
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void answersGoneWithTheReasonForAThinnedModelAndStillListsIt() throws Exception {
    Checkpoint full = checkpoint("gamma", 1, "cccc3333", models.get(2), false);
    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      send(producer, full);
      send(producer, checkpoint("gamma", 2, "cccc3333", models.get(2), false));
      send(
          producer,
          Checkpoint.newBuilder(full)
              .setOnnxModel(ByteBuffer.allocate(0))
              .setThinned("thinned to keep wm.checkpoints bounded")
              .build());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (get("/api/lineages/gamma/checkpoints/1/model").statusCode() != 410
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    JsonNode gone = getJson("/api/lineages/gamma/checkpoints/1/model", 410);
    assertThat(gone.get("error").asText()).contains("thinned to keep wm.checkpoints bounded");
    JsonNode listed = getJson("/api/lineages/gamma/checkpoints/1", 200);
    assertThat(listed.get("thinned").asText()).startsWith("thinned");
    assertThat(listed.get("stepsTrained").asLong()).as("its metadata stays").isEqualTo(1000);
    assertThat(listed.get("modelBytes").asInt()).isEqualTo(models.get(2).length);
    assertThat(getJson("/api/lineages/gamma/checkpoints/2", 200).get("thinned").isNull()).isTrue();
    assertThat(get("/api/lineages/gamma/checkpoints/2/model").statusCode()).isEqualTo(200);
  }

  @Test
  void aRestartedRegistryRebuildsTheSameAnswers() throws Exception {
    String before = new String(get("/api/lineages/alpha/checkpoints").body());
    Serving again = start();
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(again.url() + "/api/lineages/alpha/checkpoints"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(new String(response.body())).isEqualTo(before);
    } finally {
      again.stop(Duration.ofSeconds(5));
    }
  }

  private JsonNode getJson(String path, int status) throws Exception {
    HttpResponse<byte[]> response = get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .as(path)
        .startsWith("application/json");
    return JSON.readTree(response.body());
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(serving.url() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void send(KafkaProducer<String, byte[]> producer, Checkpoint checkpoint)
      throws Exception {
    TestRecords.send(
        producer,
        Topics.CHECKPOINTS,
        Topics.checkpointKey(checkpoint.getLineage(), checkpoint.getVersion()),
        checkpoint);
  }

  private static Checkpoint checkpoint(
      String lineage, long version, String vae, byte[] model, boolean corrupt) {
    return TestRecords.checkpoint(lineage, version, vae, model, corrupt)
        .setHeldOutLoss(1.25)
        .setHeldOutLossParts(new io.worldstream.records.LossParts(1.0, 0.2, 0.05))
        .setGradientSteps(100 * version)
        .setCreatedTime(T0.plusSeconds(60 * version))
        .build();
  }

  private static EvaluationReport report(long checkpoint, int generation) {
    return TestRecords.report("alpha", checkpoint, "aaaa1111", generation)
        .setCreatedTime(T0.plusSeconds(300))
        .build();
  }

  private static ControllerUpdate checked(ControllerUpdate controller, double realReturn) {
    return ControllerUpdate.newBuilder(controller).setRealReturn(realReturn).build();
  }

  private static ControllerUpdate controller(long checkpoint, long version) {
    return ControllerUpdate.newBuilder()
        .setLineage("alpha")
        .setVersion(version)
        .setCheckpointVersion(checkpoint)
        .setVaeVersion("aaaa1111")
        .setInputSize(288)
        .setOutputSize(3)
        .setWeights(new ArrayList<>(Collections.nCopies(3 * 288, 0f)))
        .setBias(List.of(0f, 0f, 0f))
        .setDreamReturn(42.5)
        .setGeneration(0)
        .setCreatedTime(T0.plusSeconds(300))
        .build();
  }
}
