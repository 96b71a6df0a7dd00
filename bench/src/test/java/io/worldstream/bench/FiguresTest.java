package io.worldstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FiguresTest {

  /** What a script reads: a name, a colon, a number and a unit at the start of the line. */
  private static final Pattern LINE = Pattern.compile("^([\\w.-]+): (-?[0-9.]+|NaN) (\\S+).*$");

  @Test
  void shouldPrintOneParsableLinePerFigureWithItsBaseline() {
    StringWriter text = new StringWriter();
    new Figures()
        .add("encode.standalone-vae", 4413.4, "frames/s")
        .add("encode.throughput", 3309.2, "frames/s", "standalone-vae", 4413.4)
        .add("models.mdn-train-step", 29.75, "ms", "forward-only", 9.78)
        .beside("learn.real-return.end", 512.3, "points", "random", -31.2)
        .print(new PrintWriter(text));

    assertThat(text.toString().lines())
        .containsExactly(
            "figures:",
            "encode.standalone-vae: 4413 frames/s",
            "encode.throughput: 3309 frames/s (baseline standalone-vae: 4413 frames/s, 74.98 %)",
            "models.mdn-train-step: 29.75 ms (baseline forward-only: 9.78 ms, 304 %)",
            "learn.real-return.end: 512 points (baseline random: -31.20 points)");
    text.toString().lines().skip(1).forEach(l -> assertThat(l).matches(LINE));
  }

  @Test
  void shouldTakeQuantilesByNearestRank() {
    Quantiles q = new Quantiles(new long[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6});

    assertThat(q.at(0.5)).isEqualTo(5);
    assertThat(q.at(0.9)).isEqualTo(9);
    assertThat(q.at(0.99)).isEqualTo(10);
    assertThat(q.at(0.0)).isEqualTo(1);
    assertThat(q.max()).isEqualTo(10);
    assertThat(new Quantiles(new long[0]).at(0.5)).isEqualTo(-1);
  }
}
