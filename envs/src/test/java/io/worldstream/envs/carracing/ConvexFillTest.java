package io.worldstream.envs.carracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The raster fills against Java2D drawing the same polygons, the recipe of spec §8.8. */
class ConvexFillTest {

  private static final int W = 200;
  private static final int H = 150;

  @Test
  void shouldFillTheSamePixelsAsJava2dAliasedFill() {
    Random random = new Random(1);
    int differing = 0;
    for (int k = 0; k < 200; k++) {
      double[][] poly = randomConvexQuad(random);
      int[] ours = new int[W * H];
      ConvexFill.fill(ours, W, H, poly[0], poly[1], 4, 0xFFFFFF);
      int[] java2d = java2d(poly, false);

      for (int i = 0; i < ours.length; i++) {
        if (ours[i] != java2d[i]) {
          differing++;
          // Java2D snaps the path to a sub-pixel grid, so only pixels within 1/8 px of an edge
          // differ.
          double distance = distanceToEdges(poly, i % W + 0.5, i / W + 0.5);
          assertThat(distance).as("polygon %d, pixel %d", k, i).isLessThan(0.125);
        }
      }
    }
    System.out.println(
        "fill: " + differing + " pixels differ from Java2D over 200 polygons, all on an edge");
  }

  private static double distanceToEdges(double[][] poly, double px, double py) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0, j = 3; i < 4; j = i++) {
      double ex = poly[0][i] - poly[0][j];
      double ey = poly[1][i] - poly[1][j];
      double cross = Math.abs(ex * (py - poly[1][j]) - ey * (px - poly[0][j]));
      best = Math.min(best, cross / Math.hypot(ex, ey));
    }
    return best;
  }

  @Test
  void shouldOutlineLikeJava2dsAntiAliasedStroke() {
    Random random = new Random(2);
    double total = 0;
    int fringe = 0;
    for (int k = 0; k < 100; k++) {
      double[][] poly = randomConvexQuad(random);
      int[] ours = new int[W * H];
      ConvexFill.fill(ours, W, H, poly[0], poly[1], 4, 0xFFFFFF);
      ConvexFill.outline(ours, W, H, poly[0], poly[1], 4, 0xFFFFFF);
      int[] java2d = java2d(poly, true);
      for (int i = 0; i < ours.length; i++) {
        int a = ours[i] & 0xFF;
        int b = java2d[i] & 0xFF;
        if (a != 0 || b != 0) {
          total += Math.abs(a - b);
          fringe += a != 255 || b != 255 ? 1 : 0;
        }
      }
    }
    // Mean difference over the partly covered fringe pixels, in grey levels of 255.
    System.out.printf(
        "outline: mean |Δ| %.1f of 255 over %d fringe pixels%n", total / fringe, fringe);
    assertThat(total / fringe).isLessThan(40);
  }

  /**
   * The outline alone, in white on black, against its definition pixel by pixel: a pixel outside
   * the polygon whose centre lies at distance d &lt; 1 from its boundary gets grey round((1 − d) ×
   * 255); every other pixel stays black. Floating point may round a grey level the other way.
   */
  @Test
  void shouldOutlineExactlyThePixelsWithin1PxOutside() {
    Random random = new Random(3);
    for (int k = 0; k < 200; k++) {
      double[][] poly = randomConvexQuad(random);
      int[] ours = new int[W * H];
      ConvexFill.outline(ours, W, H, poly[0], poly[1], 4, 0xFFFFFF);
      for (int i = 0; i < ours.length; i++) {
        double px = i % W + 0.5;
        double py = i / W + 0.5;
        double d = inside(poly, px, py) ? 1 : distanceToSegments(poly, px, py);
        int expected = d > 0 && d < 1 ? (int) Math.round((1 - d) * 255) : 0;
        assertThat(ours[i] & 0xFF)
            .as("polygon %d, pixel (%d, %d) at %.4f px", k, i % W, i / W, d)
            .isCloseTo(expected, within(1));
      }
    }
  }

  private static boolean inside(double[][] poly, double px, double py) {
    int positive = 0;
    for (int i = 0, j = 3; i < 4; j = i++) {
      double cross =
          (poly[0][i] - poly[0][j]) * (py - poly[1][j])
              - (poly[1][i] - poly[1][j]) * (px - poly[0][j]);
      positive += cross > 0 ? 1 : cross < 0 ? -1 : 0;
    }
    return Math.abs(positive) == 4;
  }

  private static double distanceToSegments(double[][] poly, double px, double py) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0, j = 3; i < 4; j = i++) {
      double ex = poly[0][i] - poly[0][j];
      double ey = poly[1][i] - poly[1][j];
      double t = ((px - poly[0][j]) * ex + (py - poly[1][j]) * ey) / (ex * ex + ey * ey);
      t = Math.max(0, Math.min(1, t));
      best = Math.min(best, Math.hypot(px - poly[0][j] - t * ex, py - poly[1][j] - t * ey));
    }
    return best;
  }

  private static double[][] randomConvexQuad(Random random) {
    double cx = 20 + random.nextDouble() * (W - 40);
    double cy = 20 + random.nextDouble() * (H - 40);
    double angle = random.nextDouble() * Math.PI;
    double a = 3 + random.nextDouble() * 40;
    double b = 3 + random.nextDouble() * 40;
    double[] xs = new double[4];
    double[] ys = new double[4];
    double[][] corners = {{-a, -b}, {a, -b}, {a, b}, {-a, b}};
    for (int i = 0; i < 4; i++) {
      xs[i] = cx + corners[i][0] * Math.cos(angle) - corners[i][1] * Math.sin(angle);
      ys[i] = cy + corners[i][0] * Math.sin(angle) + corners[i][1] * Math.cos(angle);
    }
    return new double[][] {xs, ys};
  }

  private static int[] java2d(double[][] poly, boolean outline) {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    Path2D.Double path = new Path2D.Double();
    path.moveTo(poly[0][0], poly[1][0]);
    for (int i = 1; i < 4; i++) {
      path.lineTo(poly[0][i], poly[1][i]);
    }
    path.closePath();
    // Pure stroke control: no coordinate normalisation, so pixels are decided at their centres.
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(Color.WHITE);
    g.fill(path);
    if (outline) {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setStroke(new BasicStroke(1f));
      g.draw(path);
    }
    g.dispose();
    int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    int[] copy = data.clone();
    for (int i = 0; i < copy.length; i++) {
      copy[i] &= 0xFFFFFF;
    }
    return copy;
  }
}
