package io.worldstream.serving.evaluator;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.service.Completion;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import io.worldstream.serving.registry.CheckpointEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The controller evaluator: follows {@code wm.checkpoints} and runs CMA-ES over the linear
 * controller inside the dream of the newest checkpoint, one generation at a time. Each generation
 * publishes, in one Kafka transaction, its {@code EvaluationReport} to {@code wm.evaluations} and
 * the best controller found on that checkpoint so far to {@code wm.controllers}, where workers with
 * the controller policy pick it up. Every few generations that controller also drives the real
 * CarRacing, and the report carries its real return beside the dream's. The same figures are Kafka
 * metrics in JMX ({@link EvaluatorMetrics}).
 *
 * <p>It reads checkpoints and dream starts through {@link SearchInputs}: its own ({@code
 * evaluate}), or the server's in the same process ({@code serve}, {@code up}).
 *
 * <p>Its progress is what it published: on start it reads both topics back, so a restarted
 * evaluator continues with the next generation of the same checkpoint (from the last controller and
 * step size; the covariance starts afresh) and never publishes a generation twice — a generation
 * cut short by a stop or a crash was never committed and runs again.
 */
public final class Evaluator implements Service {

  /**
   * What the evaluator last published for one lineage, and the controller of it whose real check
   * scored highest.
   */
  record Published(
      EvaluationReport report, ControllerUpdate controller, ControllerUpdate bestChecked) {

    /** What is published after this: the best checked stays unless the new one checked higher. */
    Published then(EvaluationReport report, ControllerUpdate controller) {
      return new Published(report, controller, betterChecked(bestChecked, controller));
    }

    /** Of two controllers, the one whose real check scored higher (either may be unchecked). */
    static ControllerUpdate betterChecked(ControllerUpdate a, ControllerUpdate b) {
      if (b == null || b.getRealReturn() == null) {
        return a;
      }
      return a == null || b.getRealReturn() > a.getRealReturn() ? b : a;
    }
  }

  private final KafkaSettings kafka;
  private final EvaluatorSettings settings;
  private final Consumer<String> say;
  private final Supplier<SearchInputs> shared;
  private final Map<String, Published> published = new HashMap<>();
  private final Set<String> refused = new HashSet<>();

  /** The models the search dreams in: the newest checkpoint's and, if asked, those before it. */
  private final RecentModels<MdnRnnStep> models;

  private volatile boolean stopping;
  private volatile boolean ready;
  private VaeEncoder encoder;
  private RealCheck realCheck;
  private CheckExperience checkExperience;
  private KafkaProducer<String, byte[]> producer;
  private SearchInputs inputs;
  private EvaluatorMetrics metrics;
  private Completion<Void> work;
  private String waitingFor;

  /** An evaluator with its own readers of {@code wm.checkpoints} and {@code wm.latents}. */
  public Evaluator(KafkaSettings kafka, EvaluatorSettings settings, Consumer<String> say) {
    this(kafka, settings, say, null);
  }

  /**
   * An evaluator that searches with what a server in the same process reads, asked for when the
   * evaluator starts (after the server); the server keeps at least {@link
   * EvaluatorSettings#startsPerVae} dream starts per VAE version.
   */
  public Evaluator(
      KafkaSettings kafka,
      EvaluatorSettings settings,
      Consumer<String> say,
      Supplier<SearchInputs> shared) {
    this.kafka = kafka;
    this.settings = settings;
    this.models = new RecentModels<>(settings.dreamModels());
    this.say = say;
    this.shared = shared;
  }

  @Override
  public String name() {
    return "evaluator";
  }

  @Override
  public Map<String, ?> configuration() {
    return EffectiveConfiguration.of(settings, kafka);
  }

  @Override
  public void start() {
    kafka.createMissingTopics();
    if (settings.realCheckEvery() > 0) {
      encoder = VaeEncoder.load(vaeBytes(), settings.threads());
      realCheck = new RealCheck(encoder, settings.realSeeds(), settings.threads());
      if (settings.learnFromChecks()) {
        checkExperience = new CheckExperience(kafka.clientConfig());
      }
    }
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "worldstream-" + settings.instance());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    metrics = new EvaluatorMetrics(settings.instance());
    recoverPublished();
    inputs =
        shared != null
            ? shared.get()
            : SearchInputs.own(kafka.clientConfig(), settings.startsPerVae());
    work = Completion.start("evaluator", false, this::run);
    ready = true;
  }

  private byte[] vaeBytes() {
    if (settings.vae().isEmpty()) {
      return DefaultVae.encoder();
    }
    try {
      return Files.readAllBytes(settings.vae().get());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the VAE " + settings.vae().get(), e);
    }
  }

  /** Reads back what earlier runs published (after fencing them), newest per lineage. */
  private void recoverPublished() {
    Map<String, EvaluationReport> reports = new HashMap<>();
    Map<String, ControllerUpdate> controllers = new HashMap<>();
    Map<String, ControllerUpdate> bestChecked = new HashMap<>();
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.EVALUATIONS.name(), Topics.CONTROLLERS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      do {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(Topics.EVALUATIONS.name())) {
            EvaluationReport report =
                Topics.EVALUATIONS.valueSerde().deserializer().deserialize(null, record.value());
            reports.put(report.getLineage(), report);
          } else {
            ControllerUpdate controller =
                Topics.CONTROLLERS.valueSerde().deserializer().deserialize(null, record.value());
            controllers.merge(
                controller.getLineage(),
                controller,
                (a, b) -> b.getVersion() > a.getVersion() ? b : a);
            bestChecked.compute(
                controller.getLineage(), (l, best) -> Published.betterChecked(best, controller));
          }
        }
      } while (!reader.caughtUp() && !stopping);
    }
    reports.forEach(
        (lineage, report) ->
            published.put(
                lineage,
                new Published(report, controllers.get(lineage), bestChecked.get(lineage))));
    controllers.forEach(
        (lineage, c) ->
            published.putIfAbsent(lineage, new Published(null, c, bestChecked.get(lineage))));
    published.forEach(
        (lineage, p) ->
            say.accept(
                "evaluator: continuing "
                    + lineage
                    + (p.report() == null
                        ? ""
                        : " after generation "
                            + p.report().getGeneration()
                            + " on checkpoint v"
                            + p.report().getCheckpointVersion())
                    + (p.controller() == null
                        ? ""
                        : ", from controller v" + p.controller().getVersion())));
  }

  private Void run() throws InterruptedException {
    Search search = null;
    CheckCadence checks = new CheckCadence(settings);
    try {
      while (!stopping) {
        Optional<Throwable> failed = inputs.failure();
        if (failed.isPresent()) {
          throw new IllegalStateException(
              "stopped reading checkpoints and latents: " + failed.get().getMessage(),
              failed.get());
        }
        if (!inputs.caughtUp()) {
          waitFor("the checkpoints and episode starts published so far to be read");
          Thread.sleep(100);
          continue;
        }
        Optional<CheckpointEntry> newest = newest();
        if (newest.isPresent() && (search == null || search.shouldMoveTo(newest.get()))) {
          Search next = open(newest.get(), search);
          if (next != null) {
            search = next;
            waitingFor = null;
          }
        }
        if (search == null) {
          waitFor(
              newest.isEmpty()
                  ? "a checkpoint on " + Topics.CHECKPOINTS.name()
                  : "the first steps of episodes encoded by VAE "
                      + ModelVersion.shortForm(newest.get().vaeVersion())
                      + " on "
                      + Topics.LATENTS.name()
                      + ", to start dreams from");
          Thread.sleep(250);
          continue;
        }
        boolean realCheckDue = checks.dueAfter(search.rollouts());
        try {
          search.runGeneration(realCheckDue);
        } catch (CancellationException e) {
          return null;
        }
      }
      return null;
    } finally {
      models.close();
    }
  }

  private void waitFor(String what) {
    if (!what.equals(waitingFor)) {
      say.accept("evaluator: waiting for " + what);
      waitingFor = what;
    }
  }

  /**
   * The newest checkpoint to search on, of the lineage asked for or of any; a newest checkpoint
   * whose model is corrupt is refused, once, and the search stays on the one before it.
   */
  private Optional<CheckpointEntry> newest() {
    for (CheckpointEntry latest : inputs.lineages()) {
      boolean followed = settings.lineage().map(latest.lineage()::equals).orElse(true);
      if (followed && latest.corrupt() && refused.add(key(latest))) {
        say.accept("evaluator: refused " + describe(latest) + ": " + latest.problem().get());
      }
    }
    return inputs.newestSound(settings.lineage()).filter(c -> !refused.contains(key(c)));
  }

  private static String key(CheckpointEntry checkpoint) {
    return checkpoint.lineage() + "@" + checkpoint.version();
  }

  private static String describe(CheckpointEntry checkpoint) {
    return "checkpoint v" + checkpoint.version() + " of " + checkpoint.lineage();
  }

  /**
   * A search on this checkpoint, continuing the distribution of {@code current} if it searched an
   * earlier checkpoint of the same lineage; null if it cannot start yet (or is refused).
   */
  private Search open(CheckpointEntry checkpoint, Search current) {
    Published before = published.get(checkpoint.lineage());
    double midEpisodeShare =
        Search.midEpisodeStarts(settings, before == null ? null : before.bestChecked());
    var starts = inputs.starts(checkpoint.vaeVersion(), midEpisodeShare, settings.startsPerVae());
    if (starts.isEmpty()) {
      return null;
    }
    MdnRnnStep model;
    try {
      model = MdnRnnStep.load(inputs.model(checkpoint), settings.threads());
    } catch (IllegalArgumentException e) {
      refused.add(key(checkpoint));
      say.accept("evaluator: refused " + describe(checkpoint) + ": " + e.getMessage());
      return null;
    }
    List<MdnRnnStep> dreams = models.add(checkpoint.lineage(), checkpoint.version(), model);
    say.accept(
        "evaluator: searching in the dream of "
            + describe(checkpoint)
            + (dreams.size() > 1
                ? " and of "
                    + String.join(
                        ", ", models.versions().stream().skip(1).map(v -> "v" + v).toList())
                : "")
            + " (VAE "
            + ModelVersion.shortForm(checkpoint.vaeVersion())
            + ", "
            + starts.get().size()
            + " real starts"
            + (midEpisodeShare > 0
                ? String.format(Locale.ROOT, ", %.0f %% of them mid-episode", 100 * midEpisodeShare)
                : "")
            + ")");
    return new Search(
        checkpoint,
        dreams,
        starts.get(),
        settings,
        before,
        current != null && current.lineage().equals(checkpoint.lineage())
            ? current.distribution()
            : null,
        realCheck != null && realCheck.vaeVersion().equals(checkpoint.vaeVersion())
            ? realCheck
            : null,
        checkExperience,
        () -> stopping,
        this::publish,
        say);
  }

  private void publish(EvaluationReport report, ControllerUpdate controller) {
    producer.beginTransaction();
    try {
      producer.send(
          new ProducerRecord<>(
              Topics.EVALUATIONS.name(),
              report.getLineage(),
              Topics.EVALUATIONS.valueSerde().serializer().serialize(null, report)));
      producer.send(
          new ProducerRecord<>(
              Topics.CONTROLLERS.name(),
              controller.getLineage(),
              Topics.CONTROLLERS.valueSerde().serializer().serialize(null, controller)));
      producer.commitTransaction();
    } catch (RuntimeException e) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException ignored) {
        // the producer is unusable (fenced or closed); the failure below says why
      }
      throw e;
    }
    published.compute(
        report.getLineage(),
        (lineage, before) ->
            before == null
                ? new Published(report, controller, Published.betterChecked(null, controller))
                : before.then(report, controller));
    metrics.published(report);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public Optional<Throwable> failure() {
    if (work != null && work.failure().isPresent()) {
      return work.failure();
    }
    return Optional.empty();
  }

  @Override
  public void stop(Duration timeout) {
    stopping = true;
    if (work != null) {
      work.await(timeout);
    }
    if (inputs != null) {
      inputs.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (realCheck != null) {
      realCheck.close();
    }
    if (checkExperience != null) {
      checkExperience.close();
    }
    if (encoder != null) {
      encoder.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
