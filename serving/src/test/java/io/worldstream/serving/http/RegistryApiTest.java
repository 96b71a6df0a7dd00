package io.worldstream.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.worldstream.models.ModelVersion;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.LossParts;
import io.worldstream.serving.TestRecords;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry's HTTP contract on a registry fed by hand, as its topic follower feeds it: every
 * endpoint, its bad requests, a corrupt model, older models read again, a thinned one and one the
 * topic no longer has. {@code RegistryApiIntegrationTest} covers the same server over a broker.
 */
class RegistryApiTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The records on the topic by offset, for the registry to read older models again. */
  private static final Map<Long, Checkpoint> topic = new HashMap<>();

  private static Javalin server;

  @BeforeAll
  static void feedAndServe() {
    CheckpointRegistry registry =
        CheckpointRegistry.fedByHand(1, entry -> Optional.ofNullable(topic.get(entry.offset())));
    long offset = 0;
    for (int v = 1; v <= 3; v++) {
      offset = publish(registry, offset, checkpoint("alpha", v, "aaaa1111", false));
    }
    offset = publish(registry, offset, checkpoint("alpha", 4, "aaaa1111", true));
    offset = publish(registry, offset, checkpoint("beta", 1, "bbbb2222", false));
    offset = publish(registry, offset, checkpoint("gamma", 1, "cccc3333", false));
    offset = publish(registry, offset, checkpoint("gamma", 2, "cccc3333", false));
    publish(registry, offset, checkpoint("gamma", 3, "cccc3333", false));
    // gamma v1 is thinned on the topic; gamma v2's record is gone from it (retention).
    registry.accept(
        TestRecords.checkpoint("gamma", 1, "cccc3333", model("gamma", 1), false)
            .setOnnxModel(ByteBuffer.allocate(0))
            .setThinned("thinned to keep wm.checkpoints bounded")
            .build(),
        0,
        8);
    topic.remove(6L);
    registry.accept(report(3));
    // Two checked controllers on v2: the newer replaces the better as v2's newest.
    registry.accept(checked(controller(2, 5), 650));
    registry.accept(checked(controller(2, 6), 120));
    registry.accept(controller(3, 7));

    server = ApiServer.start("127.0.0.1", 0, List.of(new RegistryApi(registry)::register));
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void listsLineagesWithTheirNewestCheckpoint() throws Exception {
    JsonNode body = getJson("/api/lineages", 200);
    assertThat(body.get("lineages"))
        .extracting(n -> n.get("lineage").asText())
        .containsExactlyInAnyOrder("alpha", "beta", "gamma");
    JsonNode alpha = find(body.get("lineages"), "alpha");
    assertThat(alpha.get("latest").get("version").asLong()).isEqualTo(4);
    assertThat(alpha.get("latest").get("corrupt").asBoolean()).isTrue();
  }

  @Test
  void listsAndFiltersTheVersionsOfALineage() throws Exception {
    JsonNode all = getJson("/api/lineages/alpha/checkpoints", 200).get("checkpoints");
    assertThat(all).extracting(n -> n.get("version").asLong()).containsExactly(1L, 2L, 3L, 4L);
    JsonNode second = all.get(1);
    assertThat(second.get("parentVersion").asLong()).isEqualTo(1);
    assertThat(second.get("sha256").asText()).isEqualTo(ModelVersion.of(model("alpha", 2)));
    assertThat(second.get("heldOutLoss").asDouble()).isEqualTo(1.25);
    assertThat(second.get("heldOutLossParts").get("rewardMse").asDouble()).isEqualTo(0.2);
    assertThat(second.get("trainLossParts").isNull()).isTrue();
    assertThat(second.get("gradientSteps").asLong()).isEqualTo(200);
    assertThat(second.get("createdTime").asText()).isEqualTo("2026-11-30T12:02:00Z");

    JsonNode window =
        getJson(
                "/api/lineages/alpha/checkpoints?from=2026-11-30T12:02:00Z&to=2026-11-30T12:04:00Z",
                200)
            .get("checkpoints");
    assertThat(window).extracting(n -> n.get("version").asLong()).containsExactly(2L, 3L);
    assertThat(getJson("/api/lineages/alpha/checkpoints?vae=bbbb", 200).get("checkpoints"))
        .isEmpty();
    assertThat(getJson("/api/lineages/beta/checkpoints?vae=bbbb", 200).get("checkpoints"))
        .hasSize(1);
  }

  @Test
  void answersTheLatestAndOneVersionWithWhatRanOnIt() throws Exception {
    assertThat(getJson("/api/lineages/beta/checkpoints/latest", 200).get("version").asLong())
        .isEqualTo(1);
    JsonNode v3 = getJson("/api/lineages/alpha/checkpoints/3", 200);
    assertThat(v3.get("evaluations")).hasSize(1);
    assertThat(v3.get("evaluations").get(0).get("bestReturn").asDouble()).isEqualTo(42.5);
    assertThat(v3.get("bestController").get("version").asLong()).isEqualTo(7);
    assertThat(
            getJson("/api/lineages/alpha/checkpoints/2", 200)
                .get("bestController")
                .get("version")
                .asLong())
        .as("a checkpoint's newest controller, not its best-driving one")
        .isEqualTo(6);
    assertThat(getJson("/api/lineages/alpha/checkpoints/1", 200).get("bestController").isNull())
        .isTrue();
  }

  @Test
  void servesModelsThatMatchTheirSha256AndNeverACorruptOne() throws Exception {
    // Only the newest model of a lineage is kept in memory: v1 and v2 are read again.
    for (int v = 1; v <= 3; v++) {
      HttpResponse<byte[]> response = get("/api/lineages/alpha/checkpoints/" + v + "/model");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(model("alpha", v));
      assertThat(response.headers().firstValue("X-Worldstream-Sha256"))
          .contains(ModelVersion.of(model("alpha", v)));
      assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
          .contains("alpha-v" + v + ".onnx");
    }
    assertThat(getJson("/api/lineages/alpha/checkpoints/4/model", 409).get("error").asText())
        .contains("v4", "corrupt");
    assertThat(getJson("/api/lineages/alpha/checkpoints/latest/model", 409).get("error").asText())
        .as("the newest of alpha is the corrupt v4")
        .contains("v4", "corrupt");
    assertThat(getJson("/api/lineages/alpha/checkpoints/4", 200).get("problem").asText())
        .contains("sha256");
    HttpResponse<byte[]> latest = get("/api/lineages/beta/checkpoints/latest/model");
    assertThat(latest.statusCode()).isEqualTo(200);
    assertThat(latest.body()).isEqualTo(model("beta", 1));
    assertThat(getJson("/api/lineages/delta/checkpoints/latest/model", 404).get("error").asText())
        .contains("delta");
  }

  @Test
  void answersGoneForAThinnedModelOrOneTheTopicNoLongerHasAndStillListsThem() throws Exception {
    assertThat(getJson("/api/lineages/gamma/checkpoints/1/model", 410).get("error").asText())
        .contains("thinned to keep wm.checkpoints bounded");
    JsonNode thinned = getJson("/api/lineages/gamma/checkpoints/1", 200);
    assertThat(thinned.get("thinned").asText()).startsWith("thinned");
    assertThat(thinned.get("stepsTrained").asLong()).as("its metadata stays").isEqualTo(1000);
    assertThat(thinned.get("modelBytes").asInt()).isEqualTo(model("gamma", 1).length);

    assertThat(getJson("/api/lineages/gamma/checkpoints/2/model", 410).get("error").asText())
        .contains("no longer kept", "retention");
    assertThat(getJson("/api/lineages/gamma/checkpoints/2", 200).get("thinned").isNull()).isTrue();
    assertThat(get("/api/lineages/gamma/checkpoints/3/model").statusCode()).isEqualTo(200);
  }

  @Test
  void badRequestsGetA4xxSayingWhatIsWrong() throws Exception {
    assertThat(getJson("/api/lineages/alpha/checkpoints/abc", 400).get("error").asText())
        .contains("version", "'abc'");
    assertThat(getJson("/api/lineages/alpha/checkpoints/0", 400).get("error").asText())
        .contains("version");
    assertThat(getJson("/api/lineages/alpha/checkpoints/abc/model", 400).get("error").asText())
        .contains("version", "'abc'");
    assertThat(getJson("/api/lineages/alpha/checkpoints?from=yesterday", 400).get("error").asText())
        .contains("from", "ISO-8601", "'yesterday'");
    assertThat(getJson("/api/lineages/alpha/checkpoints?to=noon", 400).get("error").asText())
        .contains("to", "'noon'");
    assertThat(getJson("/api/lineages/alpha/checkpoints/99", 404).get("error").asText())
        .contains("v99");
    assertThat(getJson("/api/lineages/alpha/checkpoints/99/model", 404).get("error").asText())
        .contains("v99");
    assertThat(getJson("/api/lineages/delta/checkpoints", 404).get("error").asText())
        .contains("delta");
    assertThat(getJson("/api/lineages/delta/checkpoints/latest", 404).get("status").asInt())
        .isEqualTo(404);
    assertThat(getJson("/api/nothing-here", 404).get("error").asText())
        .contains("GET /api/nothing-here");
  }

  @Test
  void answersTheBestDrivingControllerWithItsParameters() throws Exception {
    JsonNode best = getJson("/api/lineages/alpha/controllers/best", 200);
    assertThat(best.get("version").asLong()).isEqualTo(5);
    assertThat(best.get("checkpointVersion").asLong()).isEqualTo(2);
    assertThat(best.get("realReturn").asDouble()).isEqualTo(650);
    assertThat(best.get("parameters")).hasSize(3 * 288 + 3);

    assertThat(getJson("/api/lineages/beta/controllers/best", 404).get("error").asText())
        .contains("no controller of 'beta' has driven a real check yet");
    assertThat(getJson("/api/lineages/delta/controllers/best", 404).get("error").asText())
        .contains("no lineage 'delta'");
  }

  /** A model's bytes: what the registry stores and serves, whether or not ONNX could load it. */
  private static byte[] model(String lineage, long version) {
    return ("model " + lineage + " v" + version).getBytes(StandardCharsets.UTF_8);
  }

  private static long publish(CheckpointRegistry registry, long offset, Checkpoint checkpoint) {
    topic.put(offset, checkpoint);
    registry.accept(checkpoint, 0, offset);
    return offset + 1;
  }

  private static Checkpoint checkpoint(String lineage, long version, String vae, boolean corrupt) {
    return TestRecords.checkpoint(lineage, version, vae, model(lineage, version), corrupt)
        .setHeldOutLoss(1.25)
        .setHeldOutLossParts(new LossParts(1.0, 0.2, 0.05))
        .setGradientSteps(100 * version)
        .setCreatedTime(T0.plusSeconds(60 * version))
        .build();
  }

  private static EvaluationReport report(long checkpoint) {
    return TestRecords.report("alpha", checkpoint, "aaaa1111", 0)
        .setCreatedTime(T0.plusSeconds(300))
        .build();
  }

  private static ControllerUpdate controller(long checkpoint, long version) {
    return TestRecords.controller("alpha", version, checkpoint, 0f, List.of(0f, 0f, 0f))
        .setVaeVersion("aaaa1111")
        .setDreamReturn(42.5)
        .setCreatedTime(T0.plusSeconds(300))
        .build();
  }

  private static ControllerUpdate checked(ControllerUpdate controller, double realReturn) {
    return ControllerUpdate.newBuilder(controller).setRealReturn(realReturn).build();
  }

  private static JsonNode getJson(String path, int status) throws Exception {
    HttpResponse<byte[]> response = get(path);
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .as(path)
        .startsWith("application/json");
    return JSON.readTree(response.body());
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode find(JsonNode lineages, String lineage) {
    for (JsonNode node : lineages) {
      if (node.get("lineage").asText().equals(lineage)) {
        return node;
      }
    }
    throw new AssertionError("no lineage " + lineage + " in " + lineages);
  }
}
