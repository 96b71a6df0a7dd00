package io.worldstream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.bench.Figures;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The table of `bench all` reads back exactly what the benchmarks print. */
class BenchAllTest {

  @Test
  void readsAFigureWithItsBaseline() {
    String line =
        new Figures.Figure(
                "train.freshness-p50",
                17.46,
                "s",
                new Figures.Baseline("in-learner-p50", 0.343, true))
            .line();

    Matcher m = BenchAll.FIGURE.matcher(line);

    assertThat(m.matches()).as(line).isTrue();
    assertThat(m.group(1)).isEqualTo("train.freshness-p50");
    assertThat(Double.parseDouble(m.group(2))).isEqualTo(17.46);
    assertThat(m.group(3)).isEqualTo("s");
    assertThat(m.group(4)).isEqualTo("in-learner-p50");
    assertThat(Double.parseDouble(m.group(5))).isEqualTo(0.343);
    assertThat(m.group(7)).isNotBlank();
  }

  @Test
  void readsAFigureBesideABaselineWithoutTheirRatio() {
    String line =
        new Figures.Figure(
                "learn.real-return.end",
                512.3,
                "points",
                new Figures.Baseline("random", -31.2, false))
            .line();

    Matcher m = BenchAll.FIGURE.matcher(line);

    assertThat(m.matches()).as(line).isTrue();
    assertThat(m.group(4)).isEqualTo("random");
    assertThat(Double.parseDouble(m.group(5))).isEqualTo(-31.2);
    assertThat(m.group(7)).isNull();
  }

  @Test
  void readsAFigureWithoutOne() {
    Matcher m = BenchAll.FIGURE.matcher(new Figures.Figure("x.y", 3, "frames/s", null).line());

    assertThat(m.matches()).isTrue();
    assertThat(m.group(4)).isNull();
  }

  @Test
  void coversEveryBenchmarkCommand() {
    var bench = new picocli.CommandLine(new BenchCommand());
    assertThat(BenchAll.BENCHMARKS)
        .containsExactlyInAnyOrderElementsOf(
            bench.getSubcommands().keySet().stream()
                // learn is an hour of the whole loop and fidelity measures a loop that ran: both
                // measure learning rather than speed
                .filter(
                    name ->
                        !name.equals("all")
                            && !name.equals("help")
                            && !name.equals("learn")
                            && !name.equals("fidelity"))
                .toList());
  }
}
