package io.worldstream.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.TestRecords;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/dreams} and {@code /api/episodes} against a real broker: answers, pictures,
 * every bad request, and the whole API under a stream of random malformed requests.
 */
class DreamApiIntegrationTest {

  private static final String VAE = TestRecords.DEFAULT_VAE;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static KafkaTestCluster.Embedded cluster;
  private static Serving serving;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void publishAndServe() throws Exception {
    cluster = KafkaTestCluster.embedded(dataDir);
    KafkaSettings kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      TestRecords.episodeStarts(producer, VAE, 4, 2);
      TestRecords.send(
          producer,
          Topics.CHECKPOINTS,
          Topics.checkpointKey("alpha", 1),
          TestRecords.checkpoint("alpha", 1, VAE, TestRecords.modelWithoutEnds(4), false).build());
      ControllerUpdate controller =
          TestRecords.controller("alpha", 5, 1, 0.01f, List.of(0f, 2f, -2f)).build();
      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", controller);
    }
    serving =
        new Serving(
            KafkaSettings.at(cluster.bootstrapServers()),
            new ServingSettings("127.0.0.1", 0, 2, 2, 2, Duration.ofSeconds(1), Optional.empty()),
            line -> {});
    serving.start();
  }

  @AfterAll
  static void stop() {
    if (serving != null) {
      serving.stop(Duration.ofSeconds(5));
    }
    cluster.close();
  }

  @Test
  void theSameRequestAndSeedGiveTheSameAnswer() throws Exception {
    String request = "{\"rollouts\": 8, \"horizon\": 50, \"seed\": 3}";
    JsonNode first = post(request, 200);
    JsonNode second = post(request, 200);
    assertThat(first.get("lineage").asText()).isEqualTo("alpha");
    assertThat(first.get("version").asLong()).isEqualTo(1);
    assertThat(first.get("controller").asText()).isEqualTo("best");
    assertThat(first.get("controllerVersion").asLong()).isEqualTo(5);
    assertThat(first.get("returns")).hasSize(8);
    assertThat(second.get("returns")).isEqualTo(first.get("returns"));
    assertThat(post("{\"rollouts\": 8, \"horizon\": 50, \"seed\": 4}", 200).get("returns"))
        .isNotEqualTo(first.get("returns"));
    JsonNode random = post("{\"controller\": \"random\", \"rollouts\": 4, \"horizon\": 30}", 200);
    JsonNode brownian =
        post("{\"controller\": \"brownian\", \"rollouts\": 4, \"horizon\": 30}", 200);
    assertThat(random.get("returns")).isNotEqualTo(brownian.get("returns"));
    StringBuilder zeros = new StringBuilder("[0");
    for (int i = 1; i < 867; i++) {
      zeros.append(",0");
    }
    zeros.append("]");
    JsonNode explicit =
        post(
            "{\"lineage\": \"alpha\", \"version\": 1, \"controller\": \"parameters\", \"parameters\": "
                + zeros
                + ", \"rollouts\": 2, \"horizon\": 10}",
            200);
    assertThat(explicit.get("lengths").get(0).asInt()).isBetween(1, 10);
  }

  @Test
  void picturesTheFirstRolloutsAsAnAnimationAndAStrip() throws Exception {
    JsonNode answer =
        post("{\"rollouts\": 3, \"horizon\": 24, \"frames\": true, \"seed\": 1}", 200);
    JsonNode frames = answer.get("frames");
    assertThat(frames.get("rollouts").asInt()).isEqualTo(3);
    assertThat(frames.get("steps").asInt()).isEqualTo(25);
    BufferedImage gif = image(frames.get("gif").asText(), "data:image/gif;base64,");
    assertThat(gif.getWidth()).isEqualTo(3 * 128 + 2 * 4);
    assertThat(gif.getHeight()).isEqualTo(128);
    BufferedImage png = image(frames.get("png").asText(), "data:image/png;base64,");
    assertThat(png.getHeight()).isEqualTo(3 * 128 + 2 * 4);
    assertThat(png.getWidth()).isEqualTo(8 * 128 + 7 * 4);
    Path picture = Path.of("target", "dream-strip.png");
    Files.createDirectories(picture.getParent());
    Files.write(picture, decode(frames.get("png").asText(), "data:image/png;base64,"));
    assertThat(post("{\"rollouts\": 3, \"horizon\": 24}", 200).get("frames").isNull()).isTrue();
  }

  @Test
  void drivesARealEpisodeWithTheSameControllerAndPicturesIt() throws Exception {
    JsonNode best = post("/api/episodes", "{\"seed\": 1, \"steps\": 40, \"every\": 4}", 200);
    assertThat(best.get("controller").asText()).isEqualTo("best");
    assertThat(best.get("controllerVersion").asLong()).isEqualTo(5);
    assertThat(best.get("steps").asInt()).isEqualTo(40);
    BufferedImage gif = image(best.get("gif").asText(), "data:image/gif;base64,");
    assertThat(gif.getWidth()).isEqualTo(192);
    // The track's tiles and those touched, checked against the road's own reward: every new tile
    // pays 1000 / tiles and every step costs 0.1 (the car cannot leave the playfield in 40 steps).
    int tiles = best.get("tiles").asInt();
    try (CarRacing track = new CarRacing(CarRacing.Options.defaults())) {
      track.reset(1);
      assertThat(tiles).isEqualTo(track.track().size());
    }
    assertThat(best.get("totalReward").asDouble())
        .isCloseTo(1000.0 * best.get("tilesVisited").asInt() / tiles - 0.1 * 40, within(1e-3));
    BufferedImage track = image(best.get("track").asText(), "data:image/png;base64,");
    assertThat(track.getWidth()).isEqualTo(720);
    Files.write(
        Path.of("target", "episode-track.png"),
        decode(best.get("track").asText(), "data:image/png;base64,"));
    JsonNode again = post("/api/episodes", "{\"seed\": 1, \"steps\": 40, \"every\": 4}", 200);
    assertThat(again.get("totalReward")).isEqualTo(best.get("totalReward"));
    JsonNode random =
        post("/api/episodes", "{\"controller\": \"random\", \"seed\": 2, \"steps\": 20}", 200);
    assertThat(random.get("controllerVersion").isNull()).isTrue();
    assertThat(error("/api/episodes", "{\"steps\": 0}", 400)).contains("steps");
    assertThat(error("/api/episodes", "{\"rollouts\": 2}", 400)).contains("unknown field");
    assertThat(error("/api/episodes", "{\"seed\": -1}", 400)).contains("seed", "from 0");
  }

  @Test
  void badRequestsGetA4xxNamingTheField() throws Exception {
    assertThat(error("{not json", 400)).contains("not JSON");
    assertThat(error("[1, 2]", 400)).contains("JSON object");
    assertThat(error("{\"rollout\": 3}", 400)).contains("unknown field 'rollout'");
    assertThat(error("{\"horizon\": 5000}", 400)).contains("horizon", "1000");
    assertThat(error("{\"rollouts\": 0}", 400)).contains("rollouts");
    assertThat(error("{\"temperature\": -1}", 400)).contains("temperature");
    assertThat(error("{\"temperature\": \"hot\"}", 400)).contains("temperature");
    assertThat(error("{\"controller\": \"wizard\"}", 400)).contains("controller");
    assertThat(error("{\"controller\": \"parameters\", \"parameters\": [1, 2]}", 400))
        .contains("parameters", "867", "got 2");
    assertThat(error("{\"frames\": true, \"horizon\": 500}", 400)).contains("frames", "300");
    assertThat(error("{\"version\": 0}", 400)).contains("version");
    assertThat(error("{\"version\": 9}", 404)).contains("v9");
    assertThat(error("{\"lineage\": \"beta\"}", 404)).contains("beta");
    byte[] huge = new byte[100 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    HttpResponse<byte[]> tooBig =
        http.send(
            HttpRequest.newBuilder(URI.create(serving.url() + "/api/dreams"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  private static final String[] SEGMENTS = {
    "api",
    "lineages",
    "alpha",
    "beta",
    "checkpoints",
    "latest",
    "model",
    "dreams",
    "episodes",
    "1",
    "0",
    "-1",
    "9",
    "99999999999999999999",
    "1.5",
    "NaN",
    "%20",
    "%00",
    "%2F",
    "..",
    "é",
    "x".repeat(300),
    ""
  };
  private static final String[] QUERIES = {
    "", "?from=yesterday", "?to=2026-13-40T99:00:00Z", "?from=2026-11-30T13:00:00Z&to=x",
    "?vae=", "?vae=%00", "?from=&to=", "?from=1e999"
  };
  private static final String[] VALUES = {
    "1",
    "2",
    "0",
    "-1",
    "10",
    "1001",
    "1e309",
    "-1e309",
    "1.5",
    "\"x\"",
    "\"\"",
    "null",
    "true",
    "[]",
    "{}",
    "[1,2]",
    "99999999999999999999",
    "\"alpha\"",
    "\"best\"",
    "\"random\"",
    "\"parameters\"",
    "\"\\u0000\""
  };
  private static final String[] FIELDS = {
    "lineage",
    "version",
    "controller",
    "parameters",
    "rollouts",
    "horizon",
    "temperature",
    "seed",
    "frames",
    "steps",
    "every",
    "unknown",
    ""
  };

  /** A request as it goes on the wire. */
  private record Raw(String method, String target, String contentType, byte[] body) {
    @Override
    public String toString() {
      return method + " " + target + " " + new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  /** A random request: a path of API words, or a body of API fields with values of any type. */
  private static Raw randomRequest(java.util.Random random) {
    if (random.nextInt(3) == 0) {
      StringBuilder path = new StringBuilder();
      int segments = 1 + random.nextInt(6);
      for (int i = 0; i < segments; i++) {
        path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      }
      path.append(QUERIES[random.nextInt(QUERIES.length)]);
      String method = new String[] {"GET", "GET", "POST", "DELETE"}[random.nextInt(4)];
      return new Raw(method, path.toString(), "application/json", "{}".getBytes());
    }
    // Small by default, so the requests that are valid stay quick; a random field may override.
    String endpoint = random.nextBoolean() ? "/api/dreams" : "/api/episodes";
    StringBuilder body =
        new StringBuilder(
            endpoint.equals("/api/dreams") ? "{\"horizon\":5,\"rollouts\":2" : "{\"steps\":5");
    int fields = random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      body.append(',')
          .append('"')
          .append(FIELDS[random.nextInt(FIELDS.length)])
          .append("\":")
          .append(VALUES[random.nextInt(VALUES.length)]);
    }
    body.append('}');
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    switch (random.nextInt(6)) {
      case 0 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 1 -> {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      }
      default -> {}
    }
    return new Raw(
        "POST", endpoint, random.nextBoolean() ? "application/json" : "text/plain", bytes);
  }

  /** Status and body of one request on a connection of its own, closed after the answer. */
  private static Map.Entry<Integer, String> send(Raw request) throws Exception {
    URI base = URI.create(serving.url());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      String head =
          request.method()
              + " "
              + request.target()
              + " HTTP/1.1\r\nHost: "
              + base.getAuthority()
              + "\r\nContent-Type: "
              + request.contentType()
              + "\r\nContent-Length: "
              + request.body().length
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(request.body());
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(answer.substring(9, 12));
      int bodyAt = answer.indexOf("\r\n\r\n");
      String body = bodyAt < 0 ? "" : answer.substring(bodyAt + 4);
      if (answer.substring(0, Math.max(0, bodyAt)).toLowerCase().contains("chunked")) {
        StringBuilder joined = new StringBuilder();
        for (int at = 0; ; ) {
          int lineEnd = body.indexOf("\r\n", at);
          int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
          if (size == 0) {
            break;
          }
          joined.append(body, lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
        body = joined.toString();
      }
      return Map.entry(status, body);
    }
  }

  /** A thousand requests, however long the machine takes; no throughput is asserted. */
  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyRandomRequestGetsAnAnswerInTheDocumentedShapeAndNeverA500() throws Exception {
    java.util.Random random = new java.util.Random(20261204);
    int requests = 1_000;
    int errors = 0;
    for (int i = 0; i < requests; i++) {
      Raw request = randomRequest(random);
      Map.Entry<Integer, String> answer = send(request);
      int status = answer.getKey();
      String said = request + " → " + status + " " + answer.getValue();
      assertThat(status).as(said).isBetween(200, 499);
      if (status >= 400) {
        errors++;
        assertThat(answer.getValue()).as(said).startsWith("{");
        JsonNode error = JSON.readTree(answer.getValue());
        assertThat(error.get("status").asInt()).as(said).isEqualTo(status);
        assertThat(error.get("error").asText()).as(said).isNotBlank();
      }
    }
    assertThat(errors).as("most random requests are malformed").isGreaterThan(requests / 2);
  }

  private String error(String body, int status) throws Exception {
    return error("/api/dreams", body, status);
  }

  private String error(String path, String body, int status) throws Exception {
    JsonNode answer = post(path, body, status);
    assertThat(answer.get("status").asInt()).isEqualTo(status);
    return answer.get("error").asText();
  }

  private JsonNode post(String body, int status) throws Exception {
    return post("/api/dreams", body, status);
  }

  private JsonNode post(String path, String body, int status) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(serving.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode())
        .as(body + " → " + new String(response.body()))
        .isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static byte[] decode(String dataUrl, String prefix) {
    assertThat(dataUrl).startsWith(prefix);
    return Base64.getDecoder().decode(dataUrl.substring(prefix.length()));
  }

  private static BufferedImage image(String dataUrl, String prefix) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(decode(dataUrl, prefix)));
    assertThat(image).isNotNull();
    return image;
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }
}
