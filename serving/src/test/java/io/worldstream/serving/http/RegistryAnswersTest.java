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

class RegistryAnswersTest {

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
          Optional.of("its model does not load"));

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
}
