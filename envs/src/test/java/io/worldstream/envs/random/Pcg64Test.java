package io.worldstream.envs.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Test vectors from numpy 2.4 (spec §13.1 and Appendix A). */
class Pcg64Test {

  @Test
  void shouldProduceNumpysRawOutputs() {
    Pcg64 rng = new Pcg64(7);
    assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("11530976094092348043");
    assertThat(Long.toUnsignedString(rng.nextLong())).isEqualTo("16550673365885938325");
  }

  @Test
  void shouldProduceNumpysDoubles() {
    Pcg64 seed0 = new Pcg64(0);
    assertThat(seed0.nextDouble()).isEqualTo(0.6369616873214543);
    assertThat(seed0.nextDouble()).isEqualTo(0.2697867137638703);
    assertThat(seed0.nextDouble()).isEqualTo(0.04097352393619469);
    assertThat(seed0.nextDouble()).isEqualTo(0.016527635528529094);

    Pcg64 seed1 = new Pcg64(1);
    assertThat(seed1.nextDouble()).isEqualTo(0.5118216247002567);
    assertThat(seed1.nextDouble()).isEqualTo(0.9504636963259353);

    Pcg64 seed42 = new Pcg64(42);
    assertThat(seed42.nextDouble()).isEqualTo(0.7739560485559633);
    assertThat(seed42.nextDouble()).isEqualTo(0.4388784397520523);
  }

  @Test
  void shouldDrawUniformAsLowPlusSpanTimesDouble() {
    // The first checkpoint draws of CarRacing seed 0 (spec §13.1).
    Pcg64 rng = new Pcg64(0);
    assertThat(rng.uniform(0, 2 * Math.PI / 12)).isEqualTo(0.33351235958453995);
    assertThat(rng.uniform(50, 150)).isEqualTo(76.97867137638703);
  }

  @Test
  void shouldDrawSmallIntegersUniformly() {
    Pcg64 rng = new Pcg64(3);
    int[] counts = new int[3];
    for (int i = 0; i < 30_000; i++) {
      counts[rng.integers(3)]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(9_500, 10_500);
    }
  }

  @Test
  void shouldDrawNumpysIntegersAfterTheDomainRandomisationDraws() {
    // numpy 2.4.6: rng = default_rng(s); rng.uniform(0, 210, size=3) twice; rng.integers(3),
    // for s = 0…19 — the pattern of CarRacing's domain randomisation (spec §8.10).
    int[] numpy = {1, 0, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1, 2, 1, 0, 2, 0, 2, 1, 2};
    for (int seed = 0; seed < numpy.length; seed++) {
      Pcg64 rng = new Pcg64(seed);
      for (int i = 0; i < 6; i++) {
        rng.uniform(0, 210);
      }
      assertThat(rng.integers(3)).as("seed %d", seed).isEqualTo(numpy[seed]);
    }
  }

  @Test
  void shouldDrawNumpysFirstIntegers() {
    // numpy 2.4.6: default_rng(s).integers(3) for s = 0…19.
    int[] numpy = {2, 1, 2, 2, 2, 2, 1, 2, 2, 1, 2, 0, 1, 2, 0, 2, 1, 2, 2, 1};
    for (int seed = 0; seed < numpy.length; seed++) {
      assertThat(new Pcg64(seed).integers(3)).as("seed %d", seed).isEqualTo(numpy[seed]);
    }
  }
}
