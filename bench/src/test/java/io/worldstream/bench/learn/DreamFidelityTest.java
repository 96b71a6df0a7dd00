package io.worldstream.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.bench.learn.DreamFidelity.Controller;
import io.worldstream.bench.learn.DreamFidelity.Dreaming;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.serving.evaluator.RealCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DreamFidelityTest {

  private static final List<Dreaming> WAYS = List.of(new Dreaming(1.15, 0.1), new Dreaming(1.0, 0));

  /**
   * Six controllers whose real return rises; the first way of dreaming orders them alike (100 below
   * the road), the second in reverse.
   */
  private static DreamFidelity.Result result() {
    List<Controller> controllers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      double real = 100 * i;
      controllers.add(
          new Controller(
              i + 1,
              i + 1,
              new RealCheck.Returns(new double[] {real - 10, real + 10}),
              new double[] {real - 100, 500 - real},
              new double[] {1000, 400}));
    }
    return new DreamFidelity.Result(controllers, WAYS);
  }

  @Test
  void shouldSayHowEachWayOfDreamingOrdersTheControllersBesideTheSearchsOwn() {
    StringWriter printed = new StringWriter();
    DreamFidelity.figures(result()).print(new PrintWriter(printed));

    assertThat(printed.toString())
        .contains("fidelity.spearman.t1.15-d0.1: 1 rho (baseline t1.15-d0.1: 1 rho)")
        .contains("fidelity.spearman.t1-d0: -1 rho (baseline t1.15-d0.1: 1 rho)")
        .contains("fidelity.spearman-later-half.t1-d0: -1 rho")
        .contains("fidelity.pearson.t1-d0: -1 r")
        .contains("fidelity.dream-minus-real.t1.15-d0.1: -100 points")
        .contains("fidelity.dream-length.t1-d0: 400 steps (baseline t1.15-d0.1: 1000 steps)")
        .contains("fidelity.real-return-mean: 250 points");
  }

  @Test
  void shouldNameWaysOfDreamingShortlyAndRefuseImpossibleOnes() {
    assertThat(new Dreaming(1.15, 0.1).label()).isEqualTo("t1.15-d0.1");
    assertThat(new Dreaming(1.0, 0).label()).isEqualTo("t1-d0");
    assertThatThrownBy(() -> new Dreaming(0, 0.1))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> new Dreaming(1, 1)).hasMessageContaining("dropout");
  }
}
