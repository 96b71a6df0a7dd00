package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.TestRecords;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator against a real broker, on checkpoints and latents a test publishes. */
class EvaluatorIntegrationTest {

  private static final String VAE = TestRecords.DEFAULT_VAE;

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private KafkaProducer<String, byte[]> producer;
  private final List<String> said = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    cluster = KafkaTestCluster.embedded(dataDir);
    kafka().createMissingTopics();
    producer = TestRecords.producer(cluster.bootstrapServers());
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
    return EvaluatorSettings.builder().search(8, 2, 30).realCheck(2, List.of(1L)).build();
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
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    ObjectName exposed =
        new ObjectName("worldstream:type=evaluator,instance=" + EvaluatorSettings.DEFAULT_INSTANCE);
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

      // The same figures where a Kafka user watches them: JMX.
      assertThat((Double) jmx.getAttribute(exposed, "generations-total"))
          .isGreaterThanOrEqualTo(2.0);
      assertThat(jmx.getAttribute(exposed, "checkpoint-version")).isEqualTo(3.0);
      assertThat((Double) jmx.getAttribute(exposed, "dream-steps-total")).isPositive();
      assertThat((Double) jmx.getAttribute(exposed, "real-return")).isFinite();
      assertThat((Double) jmx.getAttribute(exposed, "real-checks-total")).isPositive();
    } finally {
      evaluator.stop(Duration.ofSeconds(10));
    }
    assertThat(evaluator.failure()).isEmpty();
    assertThat(jmx.isRegistered(exposed)).as("gone from JMX once stopped").isFalse();
    EvaluationReport firstOnV3 =
        reports().stream().filter(r -> r.getCheckpointVersion() == 3).findFirst().orElseThrow();
    assertThat(firstOnV3.getGeneration()).isZero();
    assertThat(controllers()).extracting(ControllerUpdate::getVersion).doesNotHaveDuplicates();
  }

  @Test
  void besideAServerSearchesWithItsRegistryAndStartsAndLeavesThemOpen() throws Exception {
    publishStarts(4);
    publishCheckpoint(1, model(3), false);
    try (CheckpointRegistry registry = new CheckpointRegistry(kafka().clientConfig(), 1);
        DreamStarts starts = new DreamStarts(kafka().clientConfig(), 64)) {
      Evaluator evaluator =
          new Evaluator(
              kafka(), settings(), said::add, () -> SearchInputs.shared(registry, starts));
      evaluator.start();
      try {
        await(() -> reports().size() >= 2, "2 reports");
        publishCheckpoint(2, model(4), false);
        await(
            () -> reports().stream().anyMatch(r -> r.getCheckpointVersion() == 2),
            "a generation on v2, found through the shared registry");
      } finally {
        evaluator.stop(Duration.ofSeconds(10));
      }
      assertThat(evaluator.failure()).isEmpty();
      assertThat(said).anyMatch(l -> l.contains("searching in the dream of checkpoint v2"));

      publishCheckpoint(3, model(5), false);
      await(
          () -> registry.latest("default").map(c -> c.version() == 3).orElse(false),
          "the registry, still following once the evaluator stopped, to read v3");
      assertThat(starts.failure()).isEmpty();
      assertThat(starts.starts(VAE)).as("the starts still kept").isPresent();
    }
  }

  @Test
  void learningFromChecksPublishesEveryStepOfEachCheckAsExperience() throws Exception {
    publishStarts(4);
    publishCheckpoint(1, model(3), false);
    EvaluatorSettings settings =
        EvaluatorSettings.builder()
            .search(8, 2, 30)
            .realCheck(1, List.of(1L))
            .learnFromChecks(true)
            .build();
    Evaluator evaluator = new Evaluator(kafka(), settings, said::add);
    evaluator.start();
    try {
      await(() -> reports().size() >= 2, "2 reports");
    } finally {
      evaluator.stop(Duration.ofSeconds(10));
    }
    assertThat(evaluator.failure()).isEmpty();

    Map<Long, List<ExperienceStep>> byController = new HashMap<>();
    for (ExperienceStep step : experience()) {
      assertThat(step.getWorkerId()).startsWith(CheckExperience.PUBLISHER_PREFIX);
      assertThat(step.getEpisodeId()).startsWith(step.getWorkerId() + "-");
      assertThat(step.getEnvSeed()).as("the check's own track").isEqualTo(1L);
      assertThat(step.getPolicyId()).isEqualTo("controller");
      byController.computeIfAbsent(step.getPolicyVersion(), v -> new ArrayList<>()).add(step);
    }
    List<EvaluationReport> checked =
        reports().stream().filter(r -> r.getRealReturn() != null).toList();
    assertThat(checked).hasSizeGreaterThanOrEqualTo(2);
    for (EvaluationReport report : checked) {
      List<ExperienceStep> episode = byController.get(report.getControllerVersion());
      assertThat(episode)
          .as("the episode controller v%d drove", report.getControllerVersion())
          .isNotNull();
      assertThat(episode)
          .as("one episode, every step once, in order")
          .extracting(ExperienceStep::getStep)
          .containsExactlyElementsOf(IntStream.range(0, episode.size()).boxed().toList());
      assertThat(episode)
          .extracting(ExperienceStep::getEpisodeId)
          .containsOnly(episode.get(0).getEpisodeId());
      ExperienceStep last = episode.get(episode.size() - 1);
      assertThat(last.getTerminated() || last.getTruncated())
          .as("it ends at its last step")
          .isTrue();
      assertThat(episode.subList(0, episode.size() - 1))
          .noneMatch(s -> s.getTerminated() || s.getTruncated());
      assertThat(episode.stream().mapToDouble(ExperienceStep::getReward).sum())
          .as("its rewards add up to the return the check reported")
          .isCloseTo(report.getRealReturn(), within(1e-9));
    }
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
    TestRecords.episodeStarts(producer, VAE, episodes, 1);
  }

  private void publishCheckpoint(long version, byte[] model, boolean corrupt) throws Exception {
    TestRecords.send(
        producer,
        Topics.CHECKPOINTS,
        Topics.checkpointKey("default", version),
        TestRecords.checkpoint("default", version, VAE, model, corrupt).build());
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

  private List<ExperienceStep> experience() {
    return read(Topics.EXPERIENCE.name()).stream()
        .map(r -> Topics.EXPERIENCE.valueSerde().deserializer().deserialize(null, r.value()))
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
