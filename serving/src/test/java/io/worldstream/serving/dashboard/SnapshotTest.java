package io.worldstream.serving.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Snapshot.Evaluation generation(int index, Double real, Double sd, int tracks) {
    return new Snapshot.Evaluation(
        index, 7, index, 310.0, 250.0, real, sd, tracks, 40 + index, 289.5);
  }

  private static final Snapshot SEARCHING =
      new Snapshot(
          "2026-12-04T20:00:00Z",
          List.of(new Snapshot.Rate(1.0, 99.0, 97.0), new Snapshot.Rate(2.0, 231.4, 228.6)),
          "vae-88a6",
          9L,
          12.4,
          List.of(
              new Snapshot.Checkpoint(8, 1.2, null, false),
              new Snapshot.Checkpoint(9, 1.1, 0.987, false)),
          List.of(generation(0, 412.25, 96.0, 16), generation(1, null, null, 0)),
          2L,
          7L,
          "vae-88a6@7#41",
          new Snapshot.Best(38, 655.5));

  @Test
  void shouldSayWhereThePipelineStandsInOneLine() {
    assertThat(SEARCHING.statusLine())
        .isEqualTo(
            "231 steps/s, 229 latents/s, vae-88a6 v9 12 s old, loss 1.10 (held-out 0.987),"
                + " controller v41 dream 290 (v7 gen 1), real 412 ± 96.0 on 16 tracks (controller"
                + " v40), best v38 real 656");
  }

  @Test
  void shouldSayWhatIsMissingBeforeTheFirstCheckpointAndSearch() {
    assertThat(Snapshot.EMPTY.statusLine()).isEqualTo(", no checkpoint yet");
    Snapshot checkpointOnly =
        new Snapshot(
            "t",
            List.of(new Snapshot.Rate(1.0, 100.0, 90.0)),
            "vae-88a6",
            1L,
            3.0,
            List.of(new Snapshot.Checkpoint(1, 1.4, null, false)),
            List.of(),
            null,
            null,
            null,
            null);
    assertThat(checkpointOnly.statusLine())
        .isEqualTo(
            "100 steps/s, 90 latents/s, vae-88a6 v1 3 s old, loss 1.40 (held-out -), no controller"
                + " search yet");
  }

  @Test
  void shouldSendThePageTheFieldsItDrawsAndLeaveOutWhatIsNotKnownYet() throws Exception {
    JsonNode page = JSON.readTree(JSON.writeValueAsString(SEARCHING));
    assertThat(page.get("latestVersion").asLong()).isEqualTo(9);
    assertThat(page.get("evaluatorStaleness").asLong()).isEqualTo(2);
    assertThat(page.get("rates").get(1).get("stepsPerSecond").asDouble()).isEqualTo(231.4);
    assertThat(page.get("checkpoints").get(0).get("heldOutLoss").isNull()).isTrue();
    assertThat(page.get("evaluations").get(0).get("realReturnSd").asDouble()).isEqualTo(96.0);
    assertThat(page.get("evaluations").get(1).get("controllerVersion").asLong()).isEqualTo(41);

    JsonNode empty =
        JSON.readTree(
            JSON.writeValueAsString(
                new Snapshot(
                    "t", List.of(), null, null, null, List.of(), List.of(), null, null, null,
                    null)));
    assertThat(empty.has("lineage")).isFalse();
    assertThat(empty.has("evaluatorStaleness")).isFalse();
    assertThat(empty.get("rates").isArray()).isTrue();
  }
}
