package io.worldstream.bench.learn;

import io.worldstream.bench.learn.LearningCurve.Curve;
import io.worldstream.bench.learn.LearningCurve.Mark;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The learning curve as a picture: real return (mean ± sd over the evaluation tracks) of the newest
 * controller and of the best one checked, and the dream's prediction for the newest, against
 * minutes of the run (left) and against the env steps behind them (right), with random and brownian
 * driving on the same tracks drawn across.
 */
final class LearningCurveChart {

  private static final int PANEL_W = 640;
  private static final int H = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 60;
  private static final int BOTTOM = 60;
  private static final Color REAL = new Color(0x1f77b4);
  private static final Color DREAM = new Color(0xd62728);
  private static final Color RANDOM = new Color(0x7f7f7f);
  private static final Color BROWNIAN = new Color(0x2ca02c);
  private static final Color BEST = new Color(0xff7f0e);

  private LearningCurveChart() {}

  static void write(Curve curve, Path png) throws IOException {
    BufferedImage image = new BufferedImage(2 * PANEL_W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    List<Mark> marks = curve.marks().stream().filter(m -> m.real() != null).toList();
    List<Mark> best = curve.best().stream().filter(m -> m.real() != null).toList();
    double low = Math.min(curve.random().mean(), curve.brownian().mean());
    double high = Math.max(curve.random().mean(), curve.brownian().mean());
    for (Mark m : marks) {
      low =
          Math.min(low, Math.min(m.real().mean() - m.real().sd(), finiteOr(m.dreamReturn(), low)));
      high =
          Math.max(
              high, Math.max(m.real().mean() + m.real().sd(), finiteOr(m.dreamReturn(), high)));
    }
    for (Mark m : best) {
      low = Math.min(low, m.real().mean());
      high = Math.max(high, m.real().mean());
    }
    double step = niceStep((high - low) / 6);
    low = Math.floor(low / step) * step;
    high = Math.ceil(high / step) * step;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(
        "Learning to drive: real return on unseen evaluation tracks, and the dream's prediction",
        LEFT,
        24);
    panel(g, 0, curve, marks, best, Mark::minutes, "minutes of the loop", low, high, step);
    panel(
        g,
        PANEL_W,
        curve,
        marks,
        best,
        m -> m.envSteps() / 1000.0,
        "env steps (thousands)",
        low,
        high,
        step);
    legend(g, curve);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static void panel(
      Graphics2D g,
      int x0,
      Curve curve,
      List<Mark> marks,
      List<Mark> best,
      ToDoubleFunction<Mark> x,
      String xLabel,
      double low,
      double high,
      double yStep) {
    double xMax = curve.marks().stream().mapToDouble(x).max().orElse(1);
    double xStep = niceStep(Math.max(xMax, 1e-9) / 6);
    xMax = Math.ceil(xMax / xStep) * xStep;
    int left = x0 + LEFT;
    int right = x0 + PANEL_W - RIGHT;
    int top = TOP;
    int bottom = H - BOTTOM;
    double xScale = (right - left) / xMax;
    double yScale = (bottom - top) / (high - low);
    double finalLow = low;
    java.util.function.DoubleUnaryOperator px = v -> left + v * xScale;
    java.util.function.DoubleUnaryOperator py = v -> bottom - (v - finalLow) * yScale;

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double v = low; v <= high + 1e-9; v += yStep) {
      int y = (int) py.applyAsDouble(v);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(format(v), x0 + 8, y + 4);
    }
    for (double v = 0; v <= xMax + 1e-9; v += xStep) {
      int xx = (int) px.applyAsDouble(v);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(xx, top, xx, bottom);
      g.setColor(Color.DARK_GRAY);
      g.drawString(format(v), xx - 8, bottom + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString(xLabel, (left + right) / 2 - 50, H - 18);
    if (x0 == 0) {
      g.drawString("return", x0 + 8, top - 8);
    }

    Stroke dashed =
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
    g.setStroke(dashed);
    for (var baseline : List.of(curve.random(), curve.brownian())) {
      g.setColor(baseline == curve.random() ? RANDOM : BROWNIAN);
      int y = (int) py.applyAsDouble(baseline.mean());
      g.drawLine(left, y, right, y);
    }
    g.setColor(DREAM);
    line(
        g,
        marks,
        m -> px.applyAsDouble(x.applyAsDouble(m)),
        m -> py.applyAsDouble(m.dreamReturn()));
    g.setStroke(new BasicStroke(2f));
    g.setColor(BEST);
    line(
        g, best, m -> px.applyAsDouble(x.applyAsDouble(m)), m -> py.applyAsDouble(m.real().mean()));
    for (Mark m : best) {
      int xx = (int) px.applyAsDouble(x.applyAsDouble(m));
      int y = (int) py.applyAsDouble(m.real().mean());
      g.drawRect(xx - 4, y - 4, 8, 8);
    }
    g.setColor(REAL);
    line(
        g,
        marks,
        m -> px.applyAsDouble(x.applyAsDouble(m)),
        m -> py.applyAsDouble(m.real().mean()));
    g.setStroke(new BasicStroke(1f));
    for (Mark m : marks) {
      int xx = (int) px.applyAsDouble(x.applyAsDouble(m));
      int yLow = (int) py.applyAsDouble(m.real().mean() - m.real().sd());
      int yHigh = (int) py.applyAsDouble(m.real().mean() + m.real().sd());
      g.drawLine(xx, yLow, xx, yHigh);
      g.drawLine(xx - 4, yLow, xx + 4, yLow);
      g.drawLine(xx - 4, yHigh, xx + 4, yHigh);
      int y = (int) py.applyAsDouble(m.real().mean());
      g.fillOval(xx - 4, y - 4, 8, 8);
    }
  }

  private static void line(
      Graphics2D g, List<Mark> marks, ToDoubleFunction<Mark> x, ToDoubleFunction<Mark> y) {
    Mark previous = null;
    for (Mark m : marks) {
      if (!Double.isFinite(y.applyAsDouble(m))) {
        previous = null;
        continue;
      }
      if (previous != null) {
        g.drawLine(
            (int) x.applyAsDouble(previous),
            (int) y.applyAsDouble(previous),
            (int) x.applyAsDouble(m),
            (int) y.applyAsDouble(m));
      }
      previous = m;
    }
  }

  /** Draws the legend in one line above both panels, in a smaller font where 12 pt runs over. */
  private static void legend(Graphics2D g, Curve curve) {
    String[] labels = {
      "newest controller: real return, mean ± sd over " + tracks(curve),
      "its dream's prediction",
      "best checked controller: real return",
      String.format(Locale.ROOT, "random driving (%.0f)", curve.random().mean()),
      String.format(Locale.ROOT, "brownian driving (%.0f)", curve.brownian().mean())
    };
    Color[] colours = {REAL, DREAM, BEST, RANDOM, BROWNIAN};
    int room = 2 * PANEL_W - LEFT - RIGHT;
    for (int size = 12; ; size--) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
      int width = 0;
      for (String label : labels) {
        width += g.getFontMetrics().stringWidth(label) + 30;
      }
      if (width - 10 <= room || size == 8) {
        break;
      }
    }
    int x = LEFT;
    for (int i = 0; i < labels.length; i++) {
      g.setColor(colours[i]);
      g.fillRect(x, 36, 14, 8);
      g.setColor(Color.BLACK);
      g.drawString(labels[i], x + 20, 45);
      x += g.getFontMetrics().stringWidth(labels[i]) + 30;
    }
  }

  /** The tracks the real returns are over: "16 tracks", or "16 tracks (100 at the last mark)". */
  static String tracks(Curve curve) {
    List<Integer> counts =
        curve.marks().stream().filter(m -> m.real() != null).map(m -> m.real().tracks()).toList();
    if (counts.isEmpty()) {
      return curve.random().tracks() + " tracks";
    }
    int first = counts.get(0);
    int last = counts.get(counts.size() - 1);
    return first == last ? first + " tracks" : first + " tracks (" + last + " at the last mark)";
  }

  private static double finiteOr(double value, double otherwise) {
    return Double.isFinite(value) ? value : otherwise;
  }

  private static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double exponent = Math.floor(Math.log10(raw));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (raw <= m * Math.pow(10, exponent)) {
        return m * Math.pow(10, exponent);
      }
    }
    return Math.pow(10, exponent + 1);
  }

  private static String format(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }
}
