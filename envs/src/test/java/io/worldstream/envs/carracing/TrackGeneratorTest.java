package io.worldstream.envs.carracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.worldstream.envs.random.Pcg64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackGeneratorTest {

  private static final JsonNode SEED0 = Reference.seed0Track();

  @Test
  void shouldGenerateGymnasiumsSeed0TrackPointByPoint() {
    Track track = TrackGenerator.generate(new Pcg64(0));

    JsonNode expected = SEED0.get("track");
    assertThat(track.size()).isEqualTo(SEED0.get("n_tiles").asInt()).isEqualTo(319);
    for (int i = 0; i < track.size(); i++) {
      Track.Point p = track.points().get(i);
      JsonNode e = expected.get(i);
      assertThat(p.alpha()).as("alpha %d", i).isCloseTo(e.get(0).asDouble(), within(1e-6));
      assertThat(p.beta()).as("beta %d", i).isCloseTo(e.get(1).asDouble(), within(1e-6));
      assertThat(p.x()).as("x %d", i).isCloseTo(e.get(2).asDouble(), within(1e-6));
      assertThat(p.y()).as("y %d", i).isCloseTo(e.get(3).asDouble(), within(1e-6));
    }
    assertThat(track.attempts()).isEqualTo(1);
  }

  @Test
  void shouldPlaceSeed0CheckpointsAsGymnasium() {
    Track track = TrackGenerator.generate(new Pcg64(0));

    JsonNode expected = SEED0.get("checkpoints");
    for (int c = 0; c < 12; c++) {
      Track.Checkpoint checkpoint = track.checkpoints().get(c);
      assertThat(checkpoint.alpha()).isCloseTo(expected.get(c).get(0).asDouble(), within(1e-9));
      assertThat(checkpoint.x()).isCloseTo(expected.get(c).get(1).asDouble(), within(1e-9));
      assertThat(checkpoint.y()).isCloseTo(expected.get(c).get(2).asDouble(), within(1e-9));
    }
  }

  @Test
  void shouldPutCurbsOnTheSameTilesAsGymnasium() {
    Track track = TrackGenerator.generate(new Pcg64(0));

    List<Integer> expected = new ArrayList<>();
    SEED0.get("border_tile_indices").forEach(n -> expected.add(n.asInt()));
    assertThat(track.borderTiles())
        .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    assertThat(expected).hasSize(75);
  }

  @Test
  void shouldKeepTheUnwrappedBetaJumpOfSeed0() {
    Track track = TrackGenerator.generate(new Pcg64(0));

    double jump = track.points().get(299).beta() - track.points().get(298).beta();
    assertThat(jump).isCloseTo(-6.128, within(1e-3));
  }

  @Test
  void shouldGiveGymnasiumsTileCountsForSeeds0To19() {
    JsonNode counts = SEED0.get("tile_count_seeds_0_to_19");
    for (int seed = 0; seed < 20; seed++) {
      assertThat(TrackGenerator.generate(new Pcg64(seed)).size())
          .as("seed %d", seed)
          .isEqualTo(counts.get(String.valueOf(seed)).asInt());
    }
  }
}
