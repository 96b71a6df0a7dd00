package io.worldstream.bench.serve;

import io.worldstream.bench.BenchLineage;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Quantiles;
import io.worldstream.bench.Scratch;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.DreamEnvironment;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.evaluator.Controllers;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Dream requests through the whole server: latency of one 16-rollout × 200-step request without
 * frames (p50, p99), and requests per second under 8 concurrent clients; baseline, the same dream
 * stepped by {@code DreamEnvironment} with the controller acting, in-process, in the same run. An
 * in-process broker holds one checkpoint (a freshly initialised MDN-RNN whose done head never
 * fires, so every rollout runs the horizon), episode starts and a controller.
 */
public final class ServeBenchmark {

  /**
   * @param requests sequential requests for the latency figures
   * @param clients concurrent clients for the throughput figure
   * @param seconds how long the clients run
   */
  public record Settings(int requests, int clients, double seconds) {
    public Settings {
      InvalidSettingException.atLeast("requests", "requests", requests, 10);
      InvalidSettingException.atLeast("clients", "clients", clients, 1);
      if (!(seconds > 0)) {
        throw new InvalidSettingException("seconds", "the time must be positive, not " + seconds);
      }
    }
  }

  private static final String BODY = "{\"rollouts\": 16, \"horizon\": 200, \"seed\": %d}";

  private final Settings settings;
  private final PrintWriter out;

  public ServeBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public Figures run() throws Exception {
    out.printf(
        "Serve benchmark: dream requests of 16 rollouts × 200 steps, %d sequential, then %d clients"
            + " for %.0f s; %d cores%n",
        settings.requests(),
        settings.clients(),
        settings.seconds(),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    Path scratch = Scratch.directory("serve");
    byte[] model = BenchLineage.untrainedModel("bench-serve");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      kafka.createMissingTopics();
      List<float[]> starts = publish(kafka, model);
      double alone = dreamAlone(model, starts);
      say("DreamEnvironment alone, 16 dreams × 200 steps with the controller: %.1f ms", alone);
      Serving serving =
          new Serving(
              kafka,
              new ServingSettings(
                  "127.0.0.1",
                  0,
                  2,
                  settings.clients(),
                  2,
                  Duration.ofSeconds(10),
                  Optional.empty()),
              line -> {});
      serving.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(serving.url() + "/api/dreams");
        for (int i = 0; i < 5; i++) {
          request(http, uri, i);
        }
        long[] micros = new long[settings.requests()];
        for (int i = 0; i < micros.length; i++) {
          long started = System.nanoTime();
          request(http, uri, i);
          micros[i] = (System.nanoTime() - started) / 1_000;
        }
        Quantiles latency = new Quantiles(micros);
        double p50 = latency.at(0.5) / 1e3;
        double p99 = latency.at(0.99) / 1e3;
        say("one client: p50 %.1f ms, p99 %.1f ms over %d requests", p50, p99, micros.length);
        double rate = concurrent(http, uri);
        say("%d clients: %.1f requests/s", settings.clients(), rate);
        Figures figures =
            new Figures()
                .add("serve.dream-p50", p50, "ms", "dream-environment-alone", alone)
                .add("serve.dream-p99", p99, "ms", "dream-environment-alone", alone)
                .add(
                    "serve.dream-requests-" + settings.clients() + "-clients",
                    rate,
                    "requests/s",
                    "dream-environment-alone",
                    1000 / alone);
        figures.print(out);
        return figures;
      } finally {
        serving.stop(Duration.ofSeconds(5));
      }
    } finally {
      Scratch.delete(scratch);
    }
  }

  private double concurrent(HttpClient http, URI uri) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long deadline = System.nanoTime() + (long) (settings.seconds() * 1e9);
    long started = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < settings.clients(); c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                int i = 0;
                while (System.nanoTime() < deadline) {
                  try {
                    request(http, uri, client * 100_000 + i++);
                    done.incrementAndGet();
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failed.get() > 0) {
      say("%d requests failed", failed.get());
    }
    return done.get() / ((System.nanoTime() - started) / 1e9);
  }

  private static void request(HttpClient http, URI uri, int seed) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, seed)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "dream request: " + response.statusCode() + " " + response.body());
    }
  }

  /** Median milliseconds of the same dream in-process: 16 dreams, 200 steps, controller acting. */
  private static double dreamAlone(byte[] model, List<float[]> starts) {
    List<float[]> logvar = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      float[] lv = new float[MdnSpec.LATENT];
      java.util.Arrays.fill(lv, -3);
      logvar.add(lv);
    }
    LatentPool pool = new LatentPool(starts, logvar);
    float[][] controller = {Controllers.toFloats(new double[Controllers.PARAMETERS])};
    long[] micros = new long[25];
    try (MdnRnnStep step = MdnRnnStep.load(model, 2)) {
      for (int r = -5; r < micros.length; r++) {
        long started = System.nanoTime();
        DreamEnvironment dreams = new DreamEnvironment(step, pool, 16, 1.15, 0.5, r);
        float[] features = dreams.reset();
        float[] actions = new float[16 * MdnSpec.ACTIONS];
        for (int t = 0; t < 200; t++) {
          Controllers.act(controller, 16, features, actions);
          features = dreams.step(actions).features();
        }
        if (r >= 0) {
          micros[r] = (System.nanoTime() - started) / 1_000;
        }
      }
    }
    return new Quantiles(micros).at(0.5) / 1e3;
  }

  private static List<float[]> publish(KafkaSettings kafka, byte[] model) throws Exception {
    String vae = ModelVersion.of(DefaultVae.encoder());
    Random random = new Random(1);
    List<float[]> starts = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = BenchLineage.producer(kafka)) {
      for (int e = 0; e < 16; e++) {
        float[] mu = new float[MdnSpec.LATENT];
        List<Float> boxed = new ArrayList<>();
        for (int d = 0; d < MdnSpec.LATENT; d++) {
          mu[d] = (float) random.nextGaussian();
          boxed.add(mu[d]);
        }
        starts.add(mu);
        LatentStep step = LatentSteps.step("bench-" + e, 0, boxed, vae).build();
        producer.send(
            new ProducerRecord<>(
                Topics.LATENTS.name(),
                step.getEpisodeId(),
                Topics.LATENTS.valueSerde().serializer().serialize(null, step)));
      }
      BenchLineage.publish(
          producer,
          "bench",
          model,
          new ArrayList<>(Collections.nCopies(3 * 288, 0f)),
          List.of(0f, 0f, 0f));
    }
    return starts;
  }

  private void say(String format, Object... args) {
    out.printf("  " + format + "%n", args);
    out.flush();
  }
}
