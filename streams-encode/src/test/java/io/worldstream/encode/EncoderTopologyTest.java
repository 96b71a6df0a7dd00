package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.models.ModelInService;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.AvroSerde;
import io.worldstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTopologyTest {

  private static final AvroSerde<ExperienceStep> STEPS = AvroSerde.of(ExperienceStep.class);
  private static ModelInService<VaeEncoder> vae;

  @TempDir Path stateDir;
  private final EncoderMetrics metrics = new EncoderMetrics();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> experience;
  private TestOutputTopic<String, LatentStep> latents;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeAll
  static void loadVae() {
    vae = VaeEncoder.inService(DefaultVae.encoder(), "the default VAE", 1);
  }

  @AfterAll
  static void closeVae() {
    vae.close();
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  private void start(Batching batching) {
    StreamsBuilder builder = new StreamsBuilder();
    EncoderTopology.build(builder, vae, Runnable::run, metrics, batching);
    EncoderSettings settings =
        new EncoderSettings(
            "encoder-test",
            batching,
            1,
            1,
            Optional.empty(),
            stateDir,
            Duration.ofMillis(50),
            Duration.ofSeconds(5));
    var config =
        settings.streamsConfig(
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"), metrics);
    // TopologyTestDriver under exactly_once_v2 drops the dead letters of *deserialization*
    // handlers (those of processing handlers come through); against a real broker both arrive
    // (EncoderIntegrationTest), so the driver runs at-least-once: the topology is the same.
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(builder.build(), config);
    experience =
        driver.createInputTopic(
            Topics.EXPERIENCE.name(), new ByteArraySerializer(), new ByteArraySerializer());
    latents =
        driver.createOutputTopic(
            Topics.LATENTS.name(),
            Topics.LATENTS.keySerde().deserializer(),
            Topics.LATENTS.valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.EXPERIENCE_DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private void send(ExperienceStep step) {
    experience.pipeInput(utf8(step.getEpisodeId()), STEPS.encode(step));
  }

  @Test
  void shouldEncodeABatchAsSoonAsItIsFull() {
    start(new Batching(4, Duration.ofSeconds(10)));
    for (int t = 0; t < 3; t++) {
      send(Experience.step("ep-a", t));
    }
    assertThat(latents.isEmpty()).as("3 of 4 frames wait").isTrue();

    send(Experience.step("ep-a", 3));

    assertThat(latents.readValuesToList())
        .extracting(LatentStep::getStep)
        .containsExactly(0, 1, 2, 3);
    assertThat(metrics.interval().meanBatch()).isEqualTo(4.0);
  }

  @Test
  void shouldEncodeAWaitingBatchOnceItsOldestFrameHasWaitedTheDelay() {
    start(new Batching(32, Duration.ofMillis(40)));
    send(Experience.step("ep-a", 0));
    send(Experience.step("ep-a", 1));

    driver.advanceWallClockTime(Duration.ofMillis(20));
    assertThat(latents.isEmpty()).as("20 ms < 40 ms").isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(20));

    assertThat(latents.readValuesToList()).extracting(LatentStep::getStep).containsExactly(0, 1);
  }

  @Test
  void shouldKeepEachEpisodesOrderAndCopyWhatTheFrameSaid() {
    start(new Batching(5, Duration.ofSeconds(10)));
    List<ExperienceStep> sent = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      for (String episode : List.of("ep-a", "ep-b")) {
        ExperienceStep step = Experience.step(episode, t);
        sent.add(step);
        send(step);
      }
    }

    List<TestRecord<String, LatentStep>> out = latents.readRecordsToList();
    assertThat(out).hasSize(20);
    Map<String, List<Integer>> stepsByEpisode = new LinkedHashMap<>();
    for (TestRecord<String, LatentStep> record : out) {
      assertThat(record.key()).isEqualTo(record.value().getEpisodeId());
      stepsByEpisode
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(record.value().getStep());
    }
    assertThat(stepsByEpisode.get("ep-a")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(stepsByEpisode.get("ep-b")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    String version = ModelVersion.of(DefaultVae.encoder());
    for (int i = 0; i < out.size(); i++) {
      ExperienceStep frame = sent.get(i);
      LatentStep latent = out.get(i).value();
      assertThat(latent.getVaeVersion()).isEqualTo(version);
      assertThat(latent.getAction()).isEqualTo(frame.getAction());
      assertThat(latent.getReward()).isEqualTo(frame.getReward());
      assertThat(latent.getTerminated()).isEqualTo(frame.getTerminated());
      assertThat(latent.getTruncated()).isEqualTo(frame.getTruncated());
      assertThat(latent.getEventTime()).isEqualTo(frame.getEventTime());
      assertThat(out.get(i).timestamp()).isEqualTo(frame.getEventTime().toEpochMilli());
      assertThat(latent.getEncodeTime()).isNotNull();
    }
  }

  @Test
  void shouldGiveTheLatentsTheEncoderItselfGivesEachFrame() {
    start(new Batching(3, Duration.ofSeconds(10)));
    for (int t = 0; t < 3; t++) {
      send(Experience.step("ep-a", t));
    }
    List<LatentStep> out = latents.readValuesToList();

    // One frame at a time through a separately loaded session: batching must not change a latent.
    try (VaeEncoder alone = VaeEncoder.load(DefaultVae.encoder(), 1)) {
      for (int t = 0; t < 3; t++) {
        VaeEncoder.Latents expected = alone.encodeObservations(List.of(Experience.frames().get(t)));
        for (int d = 0; d < 32; d++) {
          assertThat(out.get(t).getMu().get(d)).isCloseTo(expected.mu()[d], within(1e-5f));
          assertThat(out.get(t).getLogvar().get(d)).isCloseTo(expected.logvar()[d], within(1e-5f));
        }
      }
    }
    assertThat(out.get(0).getMu()).isNotEqualTo(out.get(1).getMu());
  }

  @Test
  void shouldSendEveryKindOfBadRecordToTheDeadLetterTopicAndEncodeTheGoodOnesAround() {
    start(new Batching(1, Duration.ofSeconds(10)));
    byte[] good = STEPS.encode(Experience.step("ep-a", 0));
    Map<Rejection, byte[][]> bad = new LinkedHashMap<>();
    bad.put(Rejection.BAD_MAGIC, record("ep-a", "{\"step\": 1}".getBytes(StandardCharsets.UTF_8)));
    byte[] unknown = good.clone();
    unknown[2] ^= 0x5A; // the writer schema's fingerprint
    bad.put(Rejection.UNKNOWN_SCHEMA, record("ep-a", unknown));
    bad.put(Rejection.TRUNCATED, record("ep-a", Arrays.copyOf(good, good.length / 2)));
    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    bad.put(Rejection.MALFORMED, record("ep-a", trailing));
    bad.put(Rejection.MISSING_VALUE, record("ep-a", null));
    bad.put(Rejection.KEY_MISMATCH, record("ep-z", good));
    bad.put(
        Rejection.FRAME_SIZE_MISMATCH,
        stepRecord(b -> b.setFrame(new Frame(96, 96, 3, ByteBuffer.wrap(new byte[96 * 96])))));
    bad.put(
        Rejection.UNSUPPORTED_SHAPE,
        stepRecord(b -> b.setFrame(new Frame(64, 64, 3, ByteBuffer.wrap(new byte[64 * 64 * 3])))));
    bad.put(Rejection.NON_FINITE_ACTION, stepRecord(b -> b.setAction(List.of(0f, Float.NaN, 0f))));
    bad.put(Rejection.NON_FINITE_REWARD, stepRecord(b -> b.setReward(Double.NEGATIVE_INFINITY)));
    bad.put(Rejection.NEGATIVE_STEP, stepRecord(b -> b.setStep(-1)));
    assertThat(bad.keySet()).containsExactlyInAnyOrder(Rejection.values());

    int t = 0;
    send(Experience.step("ep-a", t++));
    for (byte[][] record : bad.values()) {
      var headers = new RecordHeaders().add("traceparent", utf8("00-abc-01"));
      experience.pipeInput(new TestRecord<>(record[0], record[1], headers));
      send(Experience.step("ep-a", t++));
    }

    assertThat(latents.readValuesToList())
        .extracting(LatentStep::getStep)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
    assertThat(letters).hasSize(bad.size());
    int i = 0;
    long offset = 1;
    for (Map.Entry<Rejection, byte[][]> expected : bad.entrySet()) {
      TestRecord<byte[], byte[]> letter = letters.get(i++);
      var headers = letter.headers();
      assertThat(DeadLetters.header(headers, DeadLetters.REASON))
          .isEqualTo(expected.getKey().name());
      assertThat(letter.key()).isEqualTo(expected.getValue()[0]);
      assertThat(letter.value()).isEqualTo(expected.getValue()[1]);
      assertThat(DeadLetters.header(headers, DeadLetters.DETAIL)).isNotBlank();
      assertThat(DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC))
          .isEqualTo(Topics.EXPERIENCE.name());
      assertThat(DeadLetters.header(headers, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
      assertThat(DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET))
          .isEqualTo(Long.toString(offset));
      assertThat(DeadLetters.header(headers, DeadLetters.REJECTED_AT)).matches("\\d{4}-.*Z");
      assertThat(DeadLetters.header(headers, "traceparent")).isEqualTo("00-abc-01");
      offset += 2;
    }
    assertThat(metrics.rejectedTotal()).isEqualTo(bad.size());
    assertThat(metrics.rejectedByReason()).hasSize(Rejection.values().length);
  }

  @Test
  void shouldPutANewEncoderInServiceBetweenBatchesAndRefuseABrokenOne() {
    start(new Batching(2, Duration.ofSeconds(10)));
    String first = vae.version();
    byte[] other =
        VaeGraphs.encoder(
            RandomWeights.gaussian(VaeSpec.weightShapes(), 3, (name, shape) -> 0.02), "other");
    try {
      send(Experience.step("ep-a", 0));
      send(Experience.step("ep-a", 1));

      ModelInService.Offer broken =
          vae.offer("not an onnx model".getBytes(StandardCharsets.UTF_8), "a corrupt file");
      assertThat(broken).isInstanceOf(ModelInService.Offer.Refused.class);
      byte[] truncated = Arrays.copyOf(other, other.length / 2);
      assertThat(vae.offer(truncated, "a half-written file"))
          .isInstanceOf(ModelInService.Offer.Refused.class);
      assertThat(vae.version()).isEqualTo(first);
      send(Experience.step("ep-a", 2));
      send(Experience.step("ep-a", 3));

      assertThat(vae.offer(other, "a retrained VAE"))
          .isEqualTo(new ModelInService.Offer.Replaced(first, ModelVersion.of(other)));
      assertThat(vae.offer(other, "the same file again"))
          .isInstanceOf(ModelInService.Offer.Unchanged.class);
      send(Experience.step("ep-a", 4));
      send(Experience.step("ep-a", 5));

      List<LatentStep> out = latents.readValuesToList();
      assertThat(out)
          .extracting(LatentStep::getVaeVersion)
          .containsExactly(
              first, first, first, first, ModelVersion.of(other), ModelVersion.of(other));
      assertThat(out.get(4).getMu()).isNotEqualTo(out.get(0).getMu());
    } finally {
      vae.offer(DefaultVae.encoder(), "the default VAE");
    }
  }

  private static byte[][] record(String key, byte[] value) {
    return new byte[][] {utf8(key), value};
  }

  private static byte[][] stepRecord(java.util.function.Consumer<ExperienceStep.Builder> change) {
    ExperienceStep.Builder builder = ExperienceStep.newBuilder(Experience.step("ep-a", 0));
    change.accept(builder);
    return record("ep-a", STEPS.encode(builder.build()));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
