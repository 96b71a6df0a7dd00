package io.worldstream.app.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldstream.app.Worldstream;
import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TopicsCommandIntegrationTest {

  @TempDir static Path dataDir;
  private static KafkaTestCluster cluster;

  @BeforeAll
  static void startBroker() {
    cluster = KafkaTestCluster.start(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    cluster.close();
  }

  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Worldstream.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void shouldCreateTopicsAndDoNoHarmTheSecondTime() {
    Run first = run("topics", "create", "-b", cluster.bootstrapServers());
    Run second = run("topics", "create", "-b", cluster.bootstrapServers());
    Run list = run("topics", "list", "-b", cluster.bootstrapServers());

    assertThat(first.exitCode()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).doesNotContain("created");
    for (var topic : Topics.all()) {
      assertThat(list.out())
          .containsPattern(topic.name().replace(".", "\\.") + " +" + topic.partitions() + " +\\d+");
    }
    assertThat(list.out()).doesNotContain("missing");
  }

  @Test
  void shouldPrintEachRecordAsDecodableJsonWithFramesSummarised() throws Exception {
    run("topics", "create", "-b", cluster.bootstrapServers());
    ExperienceStep step = experience();
    LatentStep latent = latent();
    try (var producer = bytesProducer()) {
      producer.send(
          new ProducerRecord<>(
              Topics.EXPERIENCE.name(),
              0,
              key(step.getEpisodeId()),
              Topics.EXPERIENCE.valueSerde().serializer().serialize("", step)));
      producer.send(
          new ProducerRecord<>(
              Topics.LATENTS.name(),
              0,
              key("ep-1"),
              Topics.LATENTS.valueSerde().serializer().serialize("", latent)));
      producer.send(
          new ProducerRecord<>(
              Topics.LATENTS.name(), 0, key("ep-1"), "not avro".getBytes(StandardCharsets.UTF_8)));
      var dead =
          new ProducerRecord<>(Topics.EXPERIENCE_DLQ.name(), key("ep-2"), new byte[] {1, 2, 3});
      dead.headers()
          .add("reason", "frame has 5 bytes, shape says 27648".getBytes(StandardCharsets.UTF_8));
      producer.send(dead).get();
    }

    JsonNode experienceLine = single(watch(Topics.EXPERIENCE.name(), 1));
    List<JsonNode> latentLines = watch(Topics.LATENTS.name(), 2);
    JsonNode dlqLine = single(watch(Topics.EXPERIENCE_DLQ.name(), 1));

    JsonNode value = experienceLine.get("value");
    assertThat(experienceLine.get("key").asText()).isEqualTo(step.getEpisodeId());
    assertThat(value.get("step").asInt()).isEqualTo(step.getStep());
    assertThat(value.at("/frame/height").asInt()).isEqualTo(96);
    assertThat(value.at("/frame/pixels/bytes").asInt()).isEqualTo(96 * 96 * 3);
    assertThat(value.get("eventTime").asText()).isEqualTo(step.getEventTime().toString());

    assertThat(latentLines.get(0).at("/value/mu/1").floatValue()).isEqualTo(-0.25f);
    assertThat(latentLines.get(0).at("/value/mu").size()).isEqualTo(2);
    assertThat(latentLines.get(1).get("error").asText()).contains("BAD_MAGIC");

    assertThat(dlqLine.at("/headers/reason").asText()).contains("shape says 27648");
    assertThat(dlqLine.at("/value/bytes").asInt()).isEqualTo(3);
  }

  @Test
  void shouldSummariseLongArraysByLengthAndHead() throws Exception {
    var controller =
        io.worldstream.records.ControllerUpdate.newBuilder()
            .setLineage("default")
            .setVersion(1)
            .setCheckpointVersion(1)
            .setVaeVersion("v")
            .setInputSize(288)
            .setOutputSize(3)
            .setWeights(new ArrayList<>(Collections.nCopies(864, 0.5f)))
            .setBias(List.of(0f, 0f, 0f))
            .setDreamReturn(1)
            .setGeneration(0)
            .setCreatedTime(Instant.now())
            .build();
    var record =
        new org.apache.kafka.clients.consumer.ConsumerRecord<>(
            Topics.CONTROLLERS.name(),
            0,
            0L,
            key("default"),
            Topics.CONTROLLERS.valueSerde().serializer().serialize("", controller));

    JsonNode line = new ObjectMapper().readTree(RecordJson.line(Topics.CONTROLLERS, record));

    assertThat(line.at("/value/weights/length").asInt()).isEqualTo(864);
    assertThat(line.at("/value/weights/first").size()).isEqualTo(8);
    assertThat(line.at("/value/bias").size()).isEqualTo(3);
  }

  @Test
  void shouldFailWithOneLineWhenTheBrokerIsUnreachable() {
    Run run = run("topics", "list", "-b", "127.0.0.1:1", "--connect-timeout", "2s");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines())
        .singleElement()
        .asString()
        .contains("Cannot reach Kafka at 127.0.0.1:1");
  }

  @Test
  void shouldRejectBadFlagsAndUnknownTopicsWithOneLine() {
    Run badFlag = run("topics", "watch", "wm.latents", "--limit", "many");
    Run unknownTopic = run("topics", "watch", "wm.nope", "-b", cluster.bootstrapServers());
    Run badDuration = run("topics", "list", "--connect-timeout", "soon");

    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err().strip().lines()).singleElement().asString().contains("--limit");
    assertThat(unknownTopic.exitCode()).isEqualTo(2);
    assertThat(unknownTopic.err()).contains("Unknown topic 'wm.nope'").contains("wm.latents");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err()).contains("not a duration");
  }

  private static List<JsonNode> watch(String topic, int limit) throws Exception {
    Run run =
        run(
            "topics",
            "watch",
            topic,
            "--from-beginning",
            "--limit",
            String.valueOf(limit),
            "-b",
            cluster.bootstrapServers());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).hasSize(limit);
    return lines;
  }

  private static JsonNode single(List<JsonNode> lines) {
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> bytesProducer() {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static ExperienceStep experience() {
    return ExperienceStep.newBuilder()
        .setEpisodeId("w1-ep")
        .setWorkerId("w1")
        .setEnvId("CarRacing-v3")
        .setEnvSeed(3)
        .setStep(5)
        .setFrame(new Frame(96, 96, 3, ByteBuffer.allocate(96 * 96 * 3)))
        .setAction(List.of(0f, 1f, 0f))
        .setReward(-0.1)
        .setTerminated(false)
        .setTruncated(false)
        .setPolicyId("random")
        .setPolicyVersion(0)
        .setEventTime(Instant.parse("2026-11-21T10:00:00.250Z"))
        .build();
  }

  private static LatentStep latent() {
    return LatentSteps.step("ep-1", 0, List.of(0.5f, -0.25f), "v")
        .setAction(List.of(0f, 1f, 0f))
        .build();
  }
}
