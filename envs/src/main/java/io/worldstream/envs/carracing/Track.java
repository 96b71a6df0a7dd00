package io.worldstream.envs.carracing;

import java.util.List;

/**
 * One closed lap of CarRacing road, as Gymnasium generates it (spec §4).
 *
 * @param checkpoints the 12 random control points the centre line steers towards
 * @param points the centre line, one point per tile; tile i spans from point i-1 to point i
 * @param border whether tile i has a red/white curb
 * @param attempts generation attempts this track took (each draws 24 random numbers)
 */
public record Track(
    List<Checkpoint> checkpoints, List<Point> points, boolean[] border, int attempts) {

  /** A control point at polar angle {@code alpha}. */
  public record Checkpoint(double alpha, double x, double y) {}

  /**
   * A centre-line point.
   *
   * @param alpha the stored polar angle (may be negative past the last checkpoint, spec §4.2)
   * @param beta the track angle: travel direction (-sin β, cos β); not unwrapped (spec §4.5)
   */
  public record Point(double alpha, double beta, double x, double y) {}

  /** Number of tiles, N. */
  public int size() {
    return points.size();
  }

  /** Length of the lap along the centre line, in metres. */
  public double length() {
    double total = 0;
    for (int i = 0; i < points.size(); i++) {
      Point a = points.get(i);
      Point b = points.get((i + 1) % points.size());
      total += Math.hypot(b.x() - a.x(), b.y() - a.y());
    }
    return total;
  }

  /** Indices of the tiles that carry a curb. */
  public int[] borderTiles() {
    return java.util.stream.IntStream.range(0, border.length).filter(i -> border[i]).toArray();
  }
}
