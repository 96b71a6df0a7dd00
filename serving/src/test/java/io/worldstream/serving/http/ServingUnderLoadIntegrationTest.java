package io.worldstream.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under load while the learner keeps publishing: eight clients ask for dreams, real
 * episodes, models and checkpoint details on every version the registry knows, with one model
 * session kept, while a new checkpoint arrives every quarter second. Sessions are pushed out and
 * old models read back from Kafka under running requests; every answer must be a 200 or a 429.
 */
class ServingUnderLoadIntegrationTest {

  private static final String VAE = TestRecords.DEFAULT_VAE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LOAD = Duration.ofMinutes(1);
  private static final int CLIENTS = 8;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void answersEveryRequestWith200Or429WhileCheckpointsArrive() throws Exception {
    try (KafkaTestCluster.Embedded cluster = KafkaTestCluster.embedded(dataDir);
        KafkaProducer<String, byte[]> producer = TestRecords.producer(cluster.bootstrapServers())) {
      KafkaSettings kafka = KafkaSettings.at(cluster.bootstrapServers());
      kafka.createMissingTopics();
      TestRecords.episodeStarts(producer, VAE, 4, 2);
      publish(producer, 1);
      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", controller(1));
      Serving serving =
          new Serving(
              kafka,
              new ServingSettings("127.0.0.1", 0, 1, 2, 1, Duration.ofSeconds(1), Optional.empty()),
              line -> {});
      serving.start();
      awaitFirstDream(serving.url());
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
      try {
        long deadline = System.nanoTime() + LOAD.toNanos();
        AtomicLong published = new AtomicLong(1);
        Future<?> learner =
            pool.submit(
                () -> {
                  while (System.nanoTime() < deadline) {
                    long version = published.get() + 1;
                    publish(producer, version);
                    if (version % 5 == 0) {
                      TestRecords.send(producer, Topics.CONTROLLERS, "alpha", controller(version));
                    }
                    published.set(version);
                    Thread.sleep(250);
                  }
                  return null;
                });
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          long seed = c;
          clients.add(
              pool.submit(
                  () -> {
                    load(serving.url(), seed, deadline, answers, unexpected);
                    return null;
                  }));
        }
        for (Future<?> client : clients) {
          client.get();
        }
        learner.get();

        System.out.printf(
            "Under load: %s; %d checkpoints published%n",
            new java.util.TreeMap<>(answers), published.get());
        assertThat(unexpected).as("answers other than 200 and 429").isEmpty();
        assertThat(published.get()).as("checkpoints published under load").isGreaterThan(50);
        for (String kind : List.of("dream", "episode", "model", "details")) {
          assertThat(answers.getOrDefault(kind + " 200", new LongAdder()).sum())
              .as("%s answered 200 (all answers: %s)", kind, answers)
              .isPositive();
        }
        // Still serving, and the registry followed the learner to the end.
        HttpResponse<String> latest = get(serving.url() + "/api/lineages/alpha/checkpoints/latest");
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(latest.body()).get("version").asLong())
            .isGreaterThan(published.get() / 2);
      } finally {
        pool.shutdownNow();
        serving.stop(Duration.ofSeconds(10));
      }
    }
  }

  /** Waits until the server has read the episode starts that dreams begin from. */
  private static void awaitFirstDream(String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> answer;
    do {
      Thread.sleep(100);
      answer = post(url + "/api/dreams", "{\"rollouts\": 1, \"horizon\": 1}");
    } while (answer.statusCode() != 200 && System.nanoTime() < deadline);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /** One client: random requests on random known versions until the deadline. */
  private static void load(
      String url,
      long seed,
      long deadline,
      Map<String, LongAdder> answers,
      ConcurrentLinkedQueue<String> unexpected)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> latest = get(url + "/api/lineages/alpha/checkpoints/latest");
      if (latest.statusCode() != 200) {
        unexpected.add("latest → " + latest.statusCode() + " " + latest.body());
        continue;
      }
      long newest = JSON.readTree(latest.body()).get("version").asLong();
      long version = 1 + random.nextLong(newest);
      String kind;
      HttpResponse<String> answer;
      switch (random.nextInt(4)) {
        case 0 -> {
          kind = "dream";
          answer =
              post(
                  url + "/api/dreams",
                  "{\"version\": "
                      + version
                      + ", \"controller\": \"best\", \"rollouts\": 4, \"horizon\": 30, \"seed\": "
                      + random.nextInt(1000)
                      + "}");
        }
        case 1 -> {
          kind = "episode";
          answer =
              post(
                  url + "/api/episodes",
                  "{\"version\": "
                      + version
                      + ", \"controller\": \""
                      + (random.nextBoolean() ? "best" : "brownian")
                      + "\", \"steps\": 20, \"seed\": "
                      + random.nextInt(1000)
                      + "}");
        }
        case 2 -> {
          kind = "model";
          answer = get(url + "/api/lineages/alpha/checkpoints/" + version + "/model");
        }
        default -> {
          kind = "details";
          answer = get(url + "/api/lineages/alpha/checkpoints/" + version);
        }
      }
      int status = answer.statusCode();
      answers.computeIfAbsent(kind + " " + status, k -> new LongAdder()).increment();
      if (status != 200 && status != 429) {
        unexpected.add(kind + " v" + version + " → " + status + " " + answer.body());
      }
    }
  }

  private static void publish(KafkaProducer<String, byte[]> producer, long version)
      throws Exception {
    TestRecords.send(
        producer,
        Topics.CHECKPOINTS,
        Topics.checkpointKey("alpha", version),
        TestRecords.checkpoint("alpha", version, VAE, TestRecords.modelWithoutEnds(version), false)
            .build());
  }

  private static ControllerUpdate controller(long checkpointVersion) {
    return TestRecords.controller(
            "alpha", checkpointVersion, checkpointVersion, 0.01f, List.of(0f, 2f, -2f))
        .build();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
