package io.worldstream.serving;

import io.javalin.Javalin;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import io.worldstream.serving.dashboard.Dashboard;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.RealEpisodes;
import io.worldstream.serving.dream.ServedModels;
import io.worldstream.serving.evaluator.DreamStarts;
import io.worldstream.serving.evaluator.SearchInputs;
import io.worldstream.serving.http.ApiServer;
import io.worldstream.serving.http.DreamApi;
import io.worldstream.serving.http.RegistryApi;
import io.worldstream.serving.registry.CheckpointRegistry;
import io.worldstream.serving.registry.ModelThinner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serving as a service: the checkpoint registry rebuilt from Kafka, the HTTP server that answers
 * from it, and the thinning of older checkpoint models. Ready once the registry has read everything
 * published before it started. An evaluator in the same process searches with the same registry and
 * dream starts ({@link #searchInputs}).
 */
public final class Serving implements Service {

  private final KafkaSettings kafka;
  private final ServingSettings settings;
  private final Consumer<String> say;
  private final int startsKeptPerVae;
  private CheckpointRegistry registry;
  private Javalin http;
  private DreamStarts starts;
  private ServedModels models;
  private Dashboard dashboard;
  private ModelThinner thinner;
  private volatile boolean ready;

  public Serving(KafkaSettings kafka, ServingSettings settings, Consumer<String> say) {
    this(kafka, settings, DreamStarts.DEFAULT_KEPT_PER_VAE, say);
  }

  /**
   * @param evaluatorStartsPerVae dream starts per VAE version an evaluator beside it uses; the
   *     server keeps that many, or its own default if that is more
   */
  public Serving(
      KafkaSettings kafka,
      ServingSettings settings,
      int evaluatorStartsPerVae,
      Consumer<String> say) {
    this.kafka = kafka;
    this.settings = settings;
    this.startsKeptPerVae = Math.max(DreamStarts.DEFAULT_KEPT_PER_VAE, evaluatorStartsPerVae);
    this.say = say;
  }

  @Override
  public String name() {
    return "server";
  }

  @Override
  public Map<String, ?> configuration() {
    return EffectiveConfiguration.of(settings, kafka);
  }

  @Override
  public void start() throws Exception {
    kafka.createMissingTopics();
    registry = new CheckpointRegistry(kafka.clientConfig(), settings.modelsKept());
    long started = System.nanoTime();
    if (!registry.awaitCaughtUp(Duration.ofMinutes(5))) {
      throw new IllegalStateException(
          "the registry did not finish reading wm.checkpoints in 5 minutes");
    }
    starts = new DreamStarts(kafka.clientConfig(), startsKeptPerVae);
    models = new ServedModels(registry, settings.threads(), settings.dreamsAtOnce());
    Dreams dreams = new Dreams(models, starts);
    RealEpisodes episodes = new RealEpisodes(models);
    RegistryApi api = new RegistryApi(registry);
    DreamApi dreamApi = new DreamApi(dreams, episodes);
    dashboard =
        new Dashboard(
            registry, dreams, episodes, kafka.clientConfig(), settings.dashboardInterval());
    http =
        ApiServer.start(
            settings.host(),
            settings.port(),
            List.of(api::register, dreamApi::register, dashboard::register));
    dashboard.start();
    if (settings.thinning().isPresent()) {
      thinner = new ModelThinner(registry, kafka.clientConfig(), settings.thinning().get());
      thinner.start();
    }
    say.accept(
        String.format(
            "server: registry of %d lineage(s) read in %.1f s; dashboard on %s/",
            registry.lineages().size(), (System.nanoTime() - started) / 1e9, url()));
    ready = true;
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    return "http://" + settings.host() + ":" + http.port();
  }

  /** The pipeline in one line (see {@link Dashboard#statusLine}). */
  public String statusLine() {
    return dashboard == null ? "starting" : dashboard.statusLine();
  }

  public CheckpointRegistry registry() {
    return registry;
  }

  /** The registry and dream starts, for an evaluator in the same process; once started. */
  public SearchInputs searchInputs() {
    if (registry == null || starts == null) {
      throw new IllegalStateException("the server has not started");
    }
    return SearchInputs.shared(registry, starts);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public Optional<Throwable> failure() {
    Optional<Throwable> failed = registry == null ? Optional.empty() : registry.failure();
    if (failed.isEmpty() && starts != null && starts.failure().isPresent()) {
      Throwable cause = starts.failure().get();
      return Optional.of(
          new IllegalStateException(
              "stopped reading the episode starts dreams begin from: " + cause.getMessage(),
              cause));
    }
    return failed;
  }

  @Override
  public void stop(Duration timeout) {
    if (thinner != null) {
      thinner.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (http != null) {
      http.stop();
    }
    if (models != null) {
      models.close();
    }
    if (starts != null) {
      starts.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
