package io.worldstream.envs.carracing;

import java.util.Arrays;

/**
 * Aliased fill of a convex polygon straight into a packed-RGB raster, by Java2D's rule: a pixel is
 * filled when its centre lies inside. For the flat-coloured polygons CarRacing draws every frame
 * this is several times faster than going through Graphics2D.
 */
final class ConvexFill {

  private ConvexFill() {}

  /** Fills the polygon (xs[i], ys[i]), i &lt; n, in device coordinates, clipped to the raster. */
  static void fill(int[] raster, int width, int height, double[] xs, double[] ys, int n, int rgb) {
    double minY = ys[0];
    double maxY = ys[0];
    for (int i = 1; i < n; i++) {
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    // Rows whose centre y + 0.5 lies in [minY, maxY).
    int firstRow = Math.max(0, (int) Math.ceil(minY - 0.5));
    int endRow = Math.min(height, (int) Math.ceil(maxY - 0.5));
    for (int y = firstRow; y < endRow; y++) {
      double yc = y + 0.5;
      double left = Double.POSITIVE_INFINITY;
      double right = Double.NEGATIVE_INFINITY;
      for (int i = 0, j = n - 1; i < n; j = i++) {
        double y0 = ys[j];
        double y1 = ys[i];
        if ((y0 <= yc && yc < y1) || (y1 <= yc && yc < y0)) {
          double x = xs[j] + (yc - y0) * (xs[i] - xs[j]) / (y1 - y0);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
      if (left < right) {
        // Columns whose centre x + 0.5 lies in [left, right).
        int from = Math.max(0, (int) Math.ceil(left - 0.5));
        int to = Math.min(width, (int) Math.ceil(right - 0.5));
        if (from < to) {
          int row = y * width;
          Arrays.fill(raster, row + from, row + to, rgb);
        }
      }
    }
  }

  /**
   * A 1 px anti-aliased outline in the fill's colour around a filled convex polygon, as Java2D's
   * pure 1 px AA stroke leaves it: pixels outside the polygon whose centre is within 1 px of the
   * boundary are blended with coverage 1 − distance; pixels inside already have the colour. The
   * outside fringe of a convex polygon splits into one slab per edge and one wedge per vertex,
   * which do not overlap, so each fringe pixel is blended exactly once.
   */
  static void outline(
      int[] raster, int width, int height, double[] xs, double[] ys, int n, int rgb) {
    double area = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
      area += xs[j] * ys[i] - xs[i] * ys[j];
    }
    if (area == 0) {
      return;
    }
    // Unit normals pointing out of the polygon.
    double sign = area > 0 ? 1 : -1;
    for (int e = 0; e < n; e++) {
      int f = (e + 1) % n;
      double x0 = xs[e];
      double y0 = ys[e];
      double ex = xs[f] - x0;
      double ey = ys[f] - y0;
      double len = Math.hypot(ex, ey);
      if (len == 0) {
        continue;
      }
      double nx = sign * ey / len;
      double ny = -sign * ex / len;
      int g = (f + 1) % n;
      double gx = xs[g] - xs[f];
      double gy = ys[g] - ys[f];
      Edge edge = new Edge(x0, y0, ex, ey, len * len, nx, ny, xs[f], ys[f], gx, gy);
      if (Math.abs(ex) >= Math.abs(ey)) {
        int from = Math.max(0, (int) Math.floor(Math.min(x0, xs[f]) - 1));
        int to = Math.min(width - 1, (int) Math.ceil(Math.max(x0, xs[f]) + 1));
        for (int x = from; x <= to; x++) {
          double t = Math.max(0, Math.min(1, (x + 0.5 - x0) / ex));
          double yl = y0 + t * ey;
          // Rows whose centre is within 1.5 px of the edge's point: above sqrt 2, the farthest a
          // pixel within 1 px of a line at most 45 degrees steep lies from it along a column.
          int rowTo = Math.min(height - 1, (int) Math.ceil(yl + 1) - 1);
          for (int y = Math.max(0, (int) Math.floor(yl - 2) + 1); y <= rowTo; y++) {
            edge.blend(raster, width, x, y, rgb);
          }
        }
      } else {
        int from = Math.max(0, (int) Math.floor(Math.min(y0, ys[f]) - 1));
        int to = Math.min(height - 1, (int) Math.ceil(Math.max(y0, ys[f]) + 1));
        for (int y = from; y <= to; y++) {
          double t = Math.max(0, Math.min(1, (y + 0.5 - y0) / ey));
          double xl = x0 + t * ex;
          int colTo = Math.min(width - 1, (int) Math.ceil(xl + 1) - 1);
          for (int x = Math.max(0, (int) Math.floor(xl - 2) + 1); x <= colTo; x++) {
            edge.blend(raster, width, x, y, rgb);
          }
        }
      }
    }
  }

  /** One edge from (x0, y0) along (ex, ey), its outward normal, and the next edge's direction. */
  private record Edge(
      double x0,
      double y0,
      double ex,
      double ey,
      double len2,
      double nx,
      double ny,
      double vx,
      double vy,
      double gx,
      double gy) {

    void blend(int[] raster, int width, int x, int y, int rgb) {
      double px = x + 0.5 - x0;
      double py = y + 0.5 - y0;
      double t = (px * ex + py * ey) / len2;
      double distance;
      if (t >= 0 && t < 1) {
        distance = px * nx + py * ny; // in this edge's slab
      } else if (t >= 1 && ((x + 0.5 - vx) * gx + (y + 0.5 - vy) * gy) < 0) {
        double dx = x + 0.5 - vx;
        double dy = y + 0.5 - vy;
        // in the wedge of the end vertex; sqrt, not hypot: no overflow to guard against at pixel
        // scale, and StrictMath.hypot was a tenth of a frame
        distance = Math.sqrt(dx * dx + dy * dy);
      } else {
        return;
      }
      if (distance <= 0 || distance >= 1) {
        return;
      }
      int alpha = (int) Math.round((1 - distance) * 255);
      int i = y * width + x;
      int dst = raster[i];
      raster[i] =
          mix(rgb >>> 16, dst >>> 16, alpha) << 16
              | mix((rgb >>> 8) & 0xFF, (dst >>> 8) & 0xFF, alpha) << 8
              | mix(rgb & 0xFF, dst & 0xFF, alpha);
    }
  }

  private static int mix(int src, int dst, int alpha) {
    return (src * alpha + dst * (255 - alpha) + 127) / 255;
  }
}
