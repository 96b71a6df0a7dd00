package io.worldstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures a benchmark ends with, one {@code name: value unit} line each, so that people and
 * scripts read them alike; a figure measured against a baseline in the same run carries it on the
 * same line: {@code encode.throughput: 3309 frames/s (baseline standalone-vae: 4413 frames/s, 75
 * %)}. Where a ratio means nothing (returns that can be negative) the line leaves it out: {@code
 * learn.real-return.end: 512 points (baseline random: -31 points)}.
 */
public final class Figures {

  /** One figure, with its same-run baseline when it has one. */
  public record Figure(String name, double value, String unit, Baseline baseline) {
    public String line() {
      String line = name + ": " + format(value) + " " + unit;
      if (baseline == null) {
        return line;
      }
      String beside =
          " (baseline " + baseline.name() + ": " + format(baseline.value()) + " " + unit;
      if (!baseline.ratio()) {
        return line + beside + ")";
      }
      return line + beside + ", " + format(100 * value / baseline.value()) + " %)";
    }
  }

  /**
   * What a figure is compared with, measured in the same run in the same unit.
   *
   * @param ratio whether the figure's ratio to it means something
   */
  public record Baseline(String name, double value, boolean ratio) {}

  private final List<Figure> figures = new ArrayList<>();

  public Figures add(String name, double value, String unit) {
    figures.add(new Figure(name, value, unit, null));
    return this;
  }

  public Figures add(String name, double value, String unit, String baseline, double baseValue) {
    figures.add(new Figure(name, value, unit, new Baseline(baseline, baseValue, true)));
    return this;
  }

  /** A figure beside its baseline without their ratio (for values that can be negative). */
  public Figures beside(String name, double value, String unit, String baseline, double baseValue) {
    figures.add(new Figure(name, value, unit, new Baseline(baseline, baseValue, false)));
    return this;
  }

  /** Prints the figures under a heading, one line each. */
  public void print(PrintWriter out) {
    out.println("figures:");
    figures.forEach(f -> out.println(f.line()));
    out.flush();
  }

  /** Three significant digits at least, no thousands separators: easy to read, easy to parse. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (magnitude >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }
}
