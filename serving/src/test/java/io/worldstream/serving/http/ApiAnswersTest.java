package io.worldstream.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.json.JavalinJackson;
import io.worldstream.records.LossParts;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiAnswersTest {

  private static final CheckpointEntry ENTRY =
      new CheckpointEntry(
          "alpha",
          3,
          Optional.of(2L),
          "vae-1",
          4_800,
          12,
          600,
          1.25,
          Optional.of(Double.NaN),
          Optional.of(new LossParts(1.0, 0.25, Double.POSITIVE_INFINITY)),
          Optional.empty(),
          Instant.parse("2026-12-05T10:00:00Z"),
          "ab12",
          1_600_000,
          0,
          41,
          Optional.of("its model does not load"),
          Optional.empty());

  /** The answer as the server writes it: through Javalin's JSON mapper. */
  private static JsonNode written(Object answer) throws Exception {
    return new ObjectMapper()
        .readTree(new JavalinJackson().toJsonString(answer, answer.getClass()));
  }

  @Test
  void shouldWriteACheckpointsDetailsAsItsFieldsBesideItsEvaluationsAndBestController()
      throws Exception {
    JsonNode details =
        written(
            RegistryAnswers.CheckpointDetails.of(
                new CheckpointRegistry.Details(ENTRY, List.of(), Optional.empty())));

    assertThat(details.get("lineage").asText()).isEqualTo("alpha");
    assertThat(details.get("version").asLong()).isEqualTo(3);
    assertThat(details.get("parentVersion").asLong()).isEqualTo(2);
    assertThat(details.get("createdTime").asText()).isEqualTo("2026-12-05T10:00:00Z");
    assertThat(details.get("corrupt").asBoolean()).isTrue();
    assertThat(details.get("problem").asText()).isEqualTo("its model does not load");
    assertThat(details.has("checkpoint")).as("the checkpoint's fields stand at the top").isFalse();
    assertThat(details.get("evaluations")).isEmpty();
    assertThat(details.get("bestController").isNull()).isTrue();
  }

  @Test
  void shouldWriteNumbersJsonCannotHoldAsNull() throws Exception {
    JsonNode checkpoint = written(RegistryAnswers.Checkpoint.of(ENTRY));

    assertThat(checkpoint.get("trainLoss").asDouble()).isEqualTo(1.25);
    assertThat(checkpoint.get("heldOutLoss").isNull()).isTrue();
    assertThat(checkpoint.get("trainLossParts").get("rewardMse").asDouble()).isEqualTo(0.25);
    assertThat(checkpoint.get("trainLossParts").get("doneBce").isNull()).isTrue();
    assertThat(checkpoint.get("heldOutLossParts").isNull()).isTrue();
  }

  @Test
  void shouldWriteADreamsReturnsWithTheirSpreadAndItsPicturesAsDataUrls() throws Exception {
    var request =
        io.worldstream.serving.dream.DreamRequest.parse(
            new ObjectMapper().readTree("{\"rollouts\": 4, \"horizon\": 10, \"seed\": 9}"));
    var result =
        new io.worldstream.serving.dream.Dreams.Result(
            ENTRY,
            "best",
            Optional.of(7L),
            new double[] {1, 3, 5, 7},
            new int[] {10, 10, 4, 10},
            34,
            12,
            Optional.of(
                new io.worldstream.serving.dream.Dreams.Frames(
                    2, 10, new byte[] {'G', 'I', 'F'}, new byte[] {1})));

    JsonNode dream = written(DreamAnswers.Dream.of(request, result));

    assertThat(dream.get("lineage").asText()).isEqualTo("alpha");
    assertThat(dream.get("controllerVersion").asLong()).isEqualTo(7);
    assertThat(dream.get("rollouts").asInt()).isEqualTo(4);
    assertThat(dream.get("seed").asLong()).isEqualTo(9);
    // Returns 1, 3, 5, 7: mean 4, deviations ±1 and ±3, population sd √5.
    assertThat(dream.get("meanReturn").asDouble()).isEqualTo(4.0);
    assertThat(dream.get("stdReturn").asDouble()).isEqualTo(Math.sqrt(5));
    assertThat(dream.get("minReturn").asDouble()).isEqualTo(1.0);
    assertThat(dream.get("maxReturn").asDouble()).isEqualTo(7.0);
    assertThat(dream.get("lengths")).hasSize(4);
    assertThat(dream.get("frames").get("gif").asText()).isEqualTo("data:image/gif;base64,R0lG");
  }
}
