package io.worldstream.envs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Environments;
import org.junit.jupiter.api.Test;

class PoliciesTest {

  private static final ActionSpec.Box CAR =
      new ActionSpec.Box(
          new double[] {-1, 0, 0}, new double[] {1, 1, 1}, new String[] {"steer", "gas", "brake"});

  @Test
  void shouldSampleRandomActionsInsideTheBox() {
    RandomPolicy policy = new RandomPolicy(CAR, 1);
    double[] sum = new double[3];
    for (int k = 0; k < 10_000; k++) {
      Action.Continuous a = (Action.Continuous) policy.act(null);
      for (int i = 0; i < 3; i++) {
        assertThat(a.get(i)).isBetween(CAR.low()[i], CAR.high()[i]);
        sum[i] += a.get(i);
      }
    }
    assertThat(sum[0] / 10_000).isCloseTo(0, within(0.03));
    assertThat(sum[1] / 10_000).isCloseTo(0.5, within(0.02));
  }

  @Test
  void shouldMoveBrownianActionsBySqrtDtStepsWithinTheBox() {
    BrownianPolicy policy = new BrownianPolicy(CAR, 2);
    double[] previous = ((Action.Continuous) policy.act(null)).values();
    double sumSquares = 0;
    int unclipped = 0;
    for (int k = 0; k < 20_000; k++) {
      double[] next = ((Action.Continuous) policy.act(null)).values();
      for (int i = 0; i < 3; i++) {
        assertThat(next[i]).isBetween(CAR.low()[i], CAR.high()[i]);
      }
      // Steering increments away from the bounds are N(0, dt): their variance is 1/50.
      if (Math.abs(next[0]) < 0.99 && Math.abs(previous[0]) < 0.99) {
        sumSquares += (next[0] - previous[0]) * (next[0] - previous[0]);
        unclipped++;
      }
      previous = next;
    }
    assertThat(sumSquares / unclipped).isCloseTo(1.0 / 50, within(0.002));
  }

  @Test
  void shouldRestartBrownianMotionFromAUniformActionEachEpisode() {
    BrownianPolicy a = new BrownianPolicy(CAR, 3);
    BrownianPolicy b = new BrownianPolicy(CAR, 3);
    assertThat(((Action.Continuous) a.act(null)).values())
        .isEqualTo(((Action.Continuous) b.act(null)).values());
    a.reset();
    assertThat(((Action.Continuous) a.act(null)).values())
        .isNotEqualTo(((Action.Continuous) b.act(null)).values());
  }

  @Test
  void shouldComputeTheLinearControllerAsTheFormulaSays() {
    // W = [[1, 0], [0, 2], [-1, 1]], b = [0, 0.5, 0]
    LinearController c =
        new LinearController(2, 3, new float[] {1, 0, 0, 2, -1, 1}, new float[] {0, 0.5f, 0});
    float[] x = {0.3f, -0.2f};

    Action.Continuous a = c.carRacingAction(x);

    assertThat(a.get(0)).isCloseTo(Math.tanh(0.3), within(1e-7));
    assertThat(a.get(1)).isCloseTo((Math.tanh(0.5 - 0.4) + 1) / 2, within(1e-7));
    assertThat(a.get(2)).isEqualTo(0.0); // tanh(-0.5) < 0 brakes nothing
    assertThat(c.parameterCount()).isEqualTo(9);
    assertThat(new LinearController(288, 3, new float[864], new float[3]).parameterCount())
        .isEqualTo(867);
  }

  @Test
  void shouldRejectMisshapenControllers() {
    assertThatThrownBy(() -> new LinearController(2, 3, new float[5], new float[3]))
        .hasMessageContaining("needs 6 weights");
    LinearController c = new LinearController(2, 3, new float[6], new float[3]);
    assertThatThrownBy(() -> c.outputs(new float[3])).hasMessageContaining("expected 2 features");
  }

  @Test
  void shouldNameTheKnownEnvironmentsWhenAskedForAnUnknownOne() {
    assertThatThrownBy(() -> Environments.make("Pong-v5", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CarRacing-v3");
    try (var env = Environments.make("CarRacing-v3", true, false)) {
      assertThat(env.id()).isEqualTo("CarRacing-v3");
    }
  }
}
