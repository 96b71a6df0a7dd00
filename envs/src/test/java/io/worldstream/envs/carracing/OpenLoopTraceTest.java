package io.worldstream.envs.carracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.envs.Action;
import io.worldstream.envs.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gymnasium's own run of seed 0 under a scripted open-loop action sequence
 * (seed0_openloop_trace.csv), replayed here over all its steps: straight driving, steering to full
 * lock and hard braking (spec §10, §11.5).
 */
class OpenLoopTraceTest {

  /** Largest absolute difference per quantity over the first {@code steps} steps. */
  static Map<String, Double> maxDeviations(int steps) {
    List<Map<String, String>> trace = Reference.openLoopTrace();
    java.util.LinkedHashMap<String, Double> worst = new java.util.LinkedHashMap<>();
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      env.reset(0);
      compare(trace.get(0), env.carState(), null, worst);
      for (int k = 1; k <= steps; k++) {
        Map<String, String> row = trace.get(k);
        Step step = env.step(Action.of(d(row, "steer"), d(row, "gas"), d(row, "brake")));
        compare(row, env.carState(), step, worst);
      }
    }
    return worst;
  }

  private static void compare(
      Map<String, String> row, CarRacing.CarState s, Step step, Map<String, Double> worst) {
    note(worst, "hull_x", s.x(), d(row, "hull_x"));
    note(worst, "hull_y", s.y(), d(row, "hull_y"));
    note(worst, "hull_angle", s.angle(), d(row, "hull_angle"));
    note(worst, "hull_vx", s.vx(), d(row, "hull_vx"));
    note(worst, "hull_vy", s.vy(), d(row, "hull_vy"));
    note(worst, "hull_angvel", s.angularVelocity(), d(row, "hull_angvel"));
    for (int i = 0; i < 4; i++) {
      note(worst, "omega" + i, s.wheelOmegas()[i], d(row, "omega" + i));
    }
    note(worst, "joint0_angle", s.jointAngles()[0], d(row, "joint0_angle"));
    note(worst, "joint1_angle", s.jointAngles()[1], d(row, "joint1_angle"));
    note(worst, "tiles_visited", s.tilesVisited(), d(row, "tiles_visited"));
    note(worst, "t", s.time(), d(row, "t"));
    if (step != null) {
      note(worst, "reward", step.reward(), d(row, "reward"));
      note(worst, "terminated", step.terminated() ? 1 : 0, d(row, "terminated"));
    }
  }

  private static void note(Map<String, Double> worst, String name, double actual, double expected) {
    worst.merge(name, Math.abs(actual - expected), Math::max);
  }

  private static double d(Map<String, String> row, String column) {
    String v = row.get(column);
    return v == null || v.isEmpty() ? 0 : Double.parseDouble(v);
  }

  @Test
  void shouldFollowGymnasiumsTrajectoryOverTheWholeTrace() {
    int steps = Reference.openLoopTrace().size() - 1;
    Map<String, Double> worst = maxDeviations(steps);
    System.out.println("max |Δ| over " + steps + " steps: " + worst);

    assertThat(steps).isEqualTo(300);

    // Measured over the 300 steps: positions within 7.7e-5 m, hull angle 6.9e-6 rad, velocities
    // and spins 1.3e-4, joint angles 1.4e-6 rad; float32 physics drifts slowly, so the bounds
    // leave about 2-3x.
    assertThat(worst.get("hull_x")).isLessThan(2e-4);
    assertThat(worst.get("hull_y")).isLessThan(2e-4);
    assertThat(worst.get("hull_angle")).isLessThan(2e-5);
    assertThat(worst.get("hull_vx")).isLessThan(5e-4);
    assertThat(worst.get("hull_vy")).isLessThan(5e-4);
    assertThat(worst.get("hull_angvel")).isLessThan(5e-4);
    for (int i = 0; i < 4; i++) {
      assertThat(worst.get("omega" + i)).as("omega%d", i).isLessThan(5e-4);
    }
    assertThat(worst.get("joint0_angle")).isLessThan(5e-6);
    assertThat(worst.get("joint1_angle")).isLessThan(5e-6);
    assertThat(worst.get("tiles_visited")).isZero();
    assertThat(worst.get("reward")).isLessThan(1e-9);
    assertThat(worst.get("terminated")).isZero();
    assertThat(worst.get("t")).isLessThan(1e-12);
  }
}
