package io.worldstream.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.serving.TestRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry's bookkeeping, fed by hand as its topic follower feeds it: no broker. */
class CheckpointRegistryTest {

  private static final String LINEAGE = "alpha";

  /** Records as they were on the topic, by offset, for the registry to read again. */
  private final Map<Long, Checkpoint> topic = new HashMap<>();

  private final List<Long> reread = new ArrayList<>();

  private final CheckpointRegistry registry =
      CheckpointRegistry.fedByHand(
          1,
          entry -> {
            reread.add(entry.version());
            return Optional.ofNullable(topic.get(entry.offset()));
          });

  private static byte[] model(long version) {
    return ("model v" + version).getBytes(StandardCharsets.UTF_8);
  }

  /** Checkpoint {@code version} published at offset {@code version}, its model intact or not. */
  private void publish(long version, boolean corrupt) {
    Checkpoint record =
        TestRecords.checkpoint(LINEAGE, version, "vae", model(version), corrupt).build();
    topic.put(version, record);
    registry.accept(record, 0, version);
  }

  private static ControllerUpdate controller(long version, long checkpoint, Double realReturn) {
    return TestRecords.controller(LINEAGE, version, checkpoint, 0f, List.of(0f, 0f, 0f))
        .setRealReturn(realReturn)
        .build();
  }

  @Test
  void shouldKeepTheFirstRecordOfAVersionAndIgnoreRepeats() {
    publish(1, false);
    registry.accept(
        TestRecords.checkpoint(LINEAGE, 1, "vae", model(1), false).setTrainLoss(9.0).build(), 0, 7);

    assertThat(registry.versions(LINEAGE, Optional.empty(), Optional.empty(), Optional.empty()))
        .hasValueSatisfying(versions -> assertThat(versions).hasSize(1));
    assertThat(registry.latest(LINEAGE).orElseThrow().trainLoss()).isEqualTo(1.5);
    assertThat(registry.latest(LINEAGE).orElseThrow().offset()).isEqualTo(1);
  }

  @Test
  void shouldServeKeptModelsFromMemoryAndOlderOnesReadAgainFromTheTopic() {
    publish(1, false);
    publish(2, false);

    assertThat(registry.model(LINEAGE, 2))
        .isInstanceOfSatisfying(
            CheckpointRegistry.Model.Found.class,
            found -> assertThat(found.onnx()).isEqualTo(model(2)));
    assertThat(reread).as("the newest model is kept in memory").isEmpty();
    assertThat(registry.model(LINEAGE, 1))
        .isInstanceOfSatisfying(
            CheckpointRegistry.Model.Found.class,
            found -> assertThat(found.onnx()).isEqualTo(model(1)));
    assertThat(reread).containsExactly(1L);

    topic.remove(1L);
    assertThat(registry.model(LINEAGE, 1))
        .isInstanceOfSatisfying(
            CheckpointRegistry.Model.Gone.class,
            gone -> assertThat(gone.reason()).contains("no longer on", "offset 1"));
    assertThat(registry.model(LINEAGE, 3)).isInstanceOf(CheckpointRegistry.Model.Unknown.class);
  }

  @Test
  void theNewestSoundCheckpointPassesOverCorruptAndThinnedVersionsAndPicksTheNewestLineage() {
    assertThat(registry.newestSound(Optional.empty())).isEmpty();
    publish(1, false);
    publish(2, false);
    publish(3, true);
    assertThat(registry.newestSound(Optional.of(LINEAGE)).orElseThrow().version())
        .as("v3 is corrupt")
        .isEqualTo(2);

    registry.accept(
        TestRecords.checkpoint(LINEAGE, 2, "vae", model(2), false).setThinned("thinned").build(),
        0,
        4);
    assertThat(registry.newestSound(Optional.of(LINEAGE)).orElseThrow().version())
        .as("v2's model was thinned")
        .isEqualTo(1);

    registry.accept(
        TestRecords.checkpoint("beta", 1, "vae", model(9), false)
            .setCreatedTime(Instant.now().plusSeconds(60))
            .build(),
        0,
        5);
    assertThat(registry.newestSound(Optional.empty()).orElseThrow().lineage()).isEqualTo("beta");
    assertThat(registry.newestSound(Optional.of(LINEAGE)).orElseThrow().lineage())
        .isEqualTo(LINEAGE);
    assertThat(registry.newestSound(Optional.of("gamma"))).isEmpty();
  }

  @Test
  void shouldNeverServeACorruptModelNorOneThatWasThinned() {
    publish(1, false);
    publish(2, true);
    registry.accept(
        TestRecords.checkpoint(LINEAGE, 1, "vae", model(1), false)
            .setThinned("thinned for the test")
            .build(),
        0,
        3);

    assertThat(registry.model(LINEAGE, 2))
        .isInstanceOfSatisfying(
            CheckpointRegistry.Model.Corrupt.class,
            corrupt -> assertThat(corrupt.reason()).contains("sha256"));
    assertThat(registry.model(LINEAGE, 1))
        .isInstanceOfSatisfying(
            CheckpointRegistry.Model.Gone.class,
            gone -> assertThat(gone.reason()).contains("thinned for the test"));
    assertThat(registry.details(LINEAGE, 2)).isPresent();
    assertThat(reread).as("neither is read again").isEmpty();
  }

  @Test
  void shouldOfferTheBestCheckedControllerAndEachCheckpointsNewest() {
    publish(1, false);
    registry.accept(controller(3, 1, 100.0));
    registry.accept(controller(5, 1, 300.0));
    registry.accept(controller(6, 1, null));
    registry.accept(controller(7, 1, 300.0));
    registry.accept(controller(4, 1, 900.0)); // arrives late: older than the checkpoint's newest

    assertThat(registry.bestController(LINEAGE).orElseThrow().getVersion()).isEqualTo(4);
    assertThat(registry.newestController(LINEAGE).orElseThrow().getVersion()).isEqualTo(7);
    assertThat(registry.details(LINEAGE, 1).orElseThrow().bestController().orElseThrow())
        .extracting(ControllerUpdate::getVersion)
        .isEqualTo(7L);

    registry.accept(controller(8, 1, 300.0));
    registry.accept(controller(2, 1, 300.0));
    registry.accept(controller(4, 1, 900.0)); // the same controller again
    registry.accept(controller(9, 1, 2000.0));
    assertThat(registry.bestController(LINEAGE).orElseThrow().getVersion()).isEqualTo(9);
  }

  @Test
  void shouldThinByAgeButSpareTheCheckpointsOfTheNewestAndBestControllers() {
    for (long v = 1; v <= 9; v++) {
      publish(v, false);
    }
    registry.accept(controller(1, 5, 700.0));
    registry.accept(controller(2, 7, 400.0));
    registry.accept(controller(3, 3, null));
    ModelThinning rule = new ModelThinning(2, 1, Duration.ofMinutes(1));

    // By age alone, with the newest 2 kept: v6, v4 (one in 2, then one in 4) and v8, v9.
    assertThat(registry.toThin(rule))
        .extracting(CheckpointEntry::version)
        .as("v3 has the newest controller, v5 the best checked; v7's is not among the best 1")
        .containsExactly(1L, 2L, 7L);
  }
}
