package io.worldstream.envs.carracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Reset;
import io.worldstream.envs.Step;
import org.junit.jupiter.api.Test;

/** The facts of spec §7.3, §13.2 and §13.3, measured on Gymnasium. */
class DynamicsTest {

  private static CarRacing seed0() {
    CarRacing env = new CarRacing(CarRacing.Options.defaults());
    env.reset(0);
    return env;
  }

  @Test
  void shouldVisitTheFirstTwoTilesDuringReset() {
    try (CarRacing env = seed0()) {
      CarRacing.CarState s = env.carState();
      assertThat(s.tilesVisited()).isEqualTo(2);
      assertThat(s.totalReward()).isCloseTo(2000.0 / 319, within(1e-12));
      assertThat(s.x()).isCloseTo(220.3851, within(1e-4));
      assertThat(s.y()).isCloseTo(-52.1635, within(1e-4));
      assertThat(s.angle()).isCloseTo(-0.084713, within(1e-6));
      for (double a : s.jointAngles()) {
        assertThat(a).isCloseTo(-0.0043073, within(1e-6));
      }
    }
  }

  @Test
  void shouldPayTheResetTilesWithTheFirstStep() {
    try (CarRacing env = seed0()) {
      Step first = env.step(Action.of(0, 0, 0));
      Step second = env.step(Action.of(0, 0, 0));

      assertThat(first.reward()).isCloseTo(6.169592476, within(1e-9));
      assertThat(second.reward()).isEqualTo(-0.09999999999999964);
      assertThat(first.terminated() || first.truncated()).isFalse();
    }
  }

  @Test
  void shouldAccelerateAsGymnasiumAtFullThrottle() {
    try (CarRacing env = seed0()) {
      double[] speeds = new double[76];
      double rearOmega20 = 0;
      double frontOmega20 = 0;
      for (int k = 1; k <= 75; k++) {
        env.step(Action.of(0, 1, 0));
        CarRacing.CarState s = env.carState();
        speeds[k] = Math.hypot(s.vx(), s.vy());
        if (k == 20) {
          rearOmega20 = s.wheelOmegas()[2];
          frontOmega20 = s.wheelOmegas()[0];
        }
      }
      // spec §11.5 (pybox2d): 2.191, 10.514, 28.023, 45.532, 67.419 m/s
      assertThat(speeds[1]).isCloseTo(2.191, within(1e-3));
      assertThat(speeds[10]).isCloseTo(10.514, within(1e-3));
      assertThat(speeds[30]).isCloseTo(28.023, within(1e-3));
      assertThat(speeds[50]).isCloseTo(45.532, within(1e-3));
      assertThat(speeds[75]).isCloseTo(67.419, within(1e-3));
      assertThat(rearOmega20).isCloseTo(94.13, within(0.01));
      assertThat(frontOmega20).isCloseTo(30.26, within(0.01));
    }
  }

  @Test
  void shouldSteerIntoTheSoftJointLimitAndBack() {
    try (CarRacing env = seed0()) {
      double[] expected = {-0.0643, -0.1243, -0.1843, -0.2443, -0.3043, -0.3643, -0.4243, -0.4243};
      for (double angle : expected) {
        env.step(Action.of(1, 0, 0));
        assertThat(env.carState().jointAngles()[0]).isCloseTo(angle, within(1e-4));
      }
      env.step(Action.of(0, 0, 0));
      assertThat(env.carState().jointAngles()[0]).isCloseTo(-0.3643, within(1e-4));
    }
  }

  @Test
  void shouldTruncateAtTheTimeLimitAndNotBefore() {
    try (Environment env = io.worldstream.envs.Environments.make("CarRacing-v3", true, false)) {
      env.reset(3);
      Step step = null;
      for (int k = 1; k <= 1000; k++) {
        step = env.step(Action.of(0, 0, 1));
        assertThat(step.truncated()).as("step %d", k).isEqualTo(k == 1000);
      }
      assertThat(step.terminated()).isFalse();
    }
  }

  @Test
  void shouldTerminateWithAPenaltyWhenLeavingThePlayfield() {
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      env.reset(0);
      Step step = null;
      int k = 0;
      // Full throttle on the road for 70 steps, then coast straight off it: at about 69 m/s the
      // edge (y = 333 m) is some 250 steps away. Throttle on the grass would spin the car instead.
      while (k++ < 1000) {
        step = env.step(Action.of(0, k <= 70 ? 1 : 0, 0));
        if (step.terminated()) {
          break;
        }
      }
      assertThat(step.terminated()).isTrue();
      assertThat(Math.abs(env.carState().y())).isGreaterThan(2000 / 6.0);
      assertThat(step.reward()).isEqualTo(-100);
      assertThat(step.info()).containsEntry("lap_finished", false);
    }
  }

  @Test
  void shouldGiveTheSameEpisodeForTheSameSeed() {
    try (CarRacing a = new CarRacing(CarRacing.Options.defaults());
        CarRacing b = new CarRacing(CarRacing.Options.defaults())) {
      Reset ra = a.reset(11);
      Reset rb = b.reset(11);
      assertThat(ra.observation().data()).isEqualTo(rb.observation().data());
      for (int k = 0; k < 30; k++) {
        Action action = Action.of(Math.sin(k * 0.3), 0.5, 0);
        assertThat(a.step(action).observation().data())
            .isEqualTo(b.step(action).observation().data());
      }
    }
  }

  @Test
  void shouldContinueTheRandomStreamWhenResetWithoutSeed() {
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      env.reset(0);
      int first = env.track().size();
      env.reset(java.util.OptionalLong.empty());
      // Seed 0's stream continued: not seed 0's track again.
      assertThat(env.track().size()).isNotEqualTo(first);
    }
  }

  @Test
  void shouldRejectActionsThatDoNotFit() {
    try (CarRacing env = seed0();
        CarRacing discrete = new CarRacing(CarRacing.Options.defaults().withContinuous(false))) {
      assertThatThrownBy(() -> env.step(Action.of(0, 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3 numbers");
      assertThatThrownBy(() -> env.step(Action.of(0, Double.NaN, 0)))
          .hasMessageContaining("not finite");
      assertThatThrownBy(() -> env.step(Action.discrete(1)))
          .isInstanceOf(IllegalArgumentException.class);
      discrete.reset(0);
      assertThatThrownBy(() -> discrete.step(Action.discrete(5))).hasMessageContaining("0-4");
      assertThat(discrete.step(Action.discrete(3)).reward()).isCloseTo(6.169592476, within(1e-9));
    }
  }

  @Test
  void shouldRefuseToStepBeforeReset() {
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      assertThatThrownBy(() -> env.step(Action.of(0, 0, 0)))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void shouldDrawDomainRandomisedColoursBeforeTheTrack() {
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults().withDomainRandomize(true))) {
      env.reset(0);
      assertThat(env.track().size()).isEqualTo(267); // spec §13.1: 319 without randomisation
    }
  }
}
