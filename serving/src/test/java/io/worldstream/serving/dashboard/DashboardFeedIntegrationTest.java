package io.worldstream.serving.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.TestRecords;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed against a running server: as many pages as it allows follow it, one more is 503.
 */
class DashboardFeedIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private Serving serving;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<InputStream> feeds = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = KafkaTestCluster.embedded(dataDir);
    KafkaSettings kafka = KafkaSettings.at(cluster.bootstrapServers());
    kafka.createMissingTopics();
    serving =
        new Serving(
            kafka,
            new ServingSettings("127.0.0.1", 0, 1, 2, 2, Duration.ofMillis(200), Optional.empty()),
            s -> {});
    serving.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (InputStream feed : feeds) {
      feed.close();
    }
    if (serving != null) {
      serving.stop(Duration.ofSeconds(5));
    }
    cluster.close();
  }

  private HttpResponse<InputStream> open() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(serving.url() + "/api/events"))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    feeds.add(response.body());
    return response;
  }

  /** The first event of a feed, read until its data line. */
  private static String firstEvent(InputStream feed) throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(feed, StandardCharsets.UTF_8));
    StringBuilder event = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      event.append(line).append('\n');
      if (line.startsWith("data:")) {
        break;
      }
    }
    return event.toString();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(serving.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void picturesTheNewestCheckpointOnceWhileAPageFollowsAndServesThePicturesToEveryPage()
      throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        TestRecords.producer(cluster.bootstrapServers())) {
      TestRecords.episodeStarts(producer, TestRecords.DEFAULT_VAE, 4, 3);
      TestRecords.send(
          producer,
          Topics.CHECKPOINTS,
          Topics.checkpointKey("vae-test", 1),
          TestRecords.checkpoint(
                  "vae-test", 1, TestRecords.DEFAULT_VAE, TestRecords.modelWithoutEnds(4), false)
              .build());
    }
    long readBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!get("/api/lineages").body().contains("vae-test") && System.nanoTime() < readBy) {
      Thread.sleep(50);
    }
    Thread.sleep(1000); // five of the dashboard's ticks with the checkpoint known
    assertThat(get("/api/dashboard/dream").statusCode())
        .as("nothing is drawn while no page follows the feed")
        .isEqualTo(404);

    InputStream feed = open().body();
    BufferedReader lines = new BufferedReader(new InputStreamReader(feed, StandardCharsets.UTF_8));
    String panels = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (String line = lines.readLine(); panels == null && line != null; line = lines.readLine()) {
      if (line.startsWith("data:") && line.contains("\"panels\"")) {
        panels = JSON.readTree(line.substring(5)).get("panels").asText();
      }
      assertThat(System.nanoTime()).as("pictures within two minutes").isLessThan(deadline);
    }
    assertThat(panels).isEqualTo("vae-test@1#-");

    HttpResponse<String> dream = get("/api/dashboard/dream");
    assertThat(dream.statusCode()).isEqualTo(200);
    JsonNode dreamBody = JSON.readTree(dream.body());
    assertThat(dreamBody.get("version").asLong()).isEqualTo(1);
    assertThat(dreamBody.get("controller").asText()).isEqualTo("brownian");
    assertThat(dreamBody.get("frames").get("gif").asText()).startsWith("data:image/gif;base64,");
    HttpResponse<String> episode = get("/api/dashboard/episode");
    assertThat(episode.statusCode()).isEqualTo(200);
    JsonNode episodeBody = JSON.readTree(episode.body());
    assertThat(episodeBody.get("seed").asLong()).isEqualTo(1);
    assertThat(episodeBody.get("gif").asText()).startsWith("data:image/gif;base64,");
    assertThat(get("/api/dashboard/dream").body())
        .as("the same pictures for every page, not drawn again")
        .isEqualTo(dream.body());
  }

  @Test
  void boundsItsViewersAndTakesANewOneWhenAPageCloses() throws Exception {
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    for (int i = 0; i < Dashboard.VIEWERS; i++) {
      HttpResponse<InputStream> feed = open();
      assertThat(feed.statusCode()).isEqualTo(200);
      assertThat(firstEvent(feed.body())).contains("event: snapshot");
      open.add(feed);
    }

    HttpResponse<InputStream> turnedAway = open();
    assertThat(turnedAway.statusCode()).isEqualTo(503);
    JsonNode error = JSON.readTree(turnedAway.body().readAllBytes());
    assertThat(error.get("status").asInt()).isEqualTo(503);
    assertThat(error.get("error").asText()).contains("viewers");

    open.get(0).body().close();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int status = 503;
    while (status == 503 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      HttpResponse<InputStream> again = open();
      status = again.statusCode();
      if (status == 200) {
        assertThat(firstEvent(again.body())).contains("event: snapshot");
      }
    }
    assertThat(status).as("a place freed by a closed page").isEqualTo(200);
  }
}
