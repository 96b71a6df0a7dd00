package io.worldstream.envs.carracing;

/**
 * One road tile: a sensor quad between two centre-line points (spec §4.6). Its colour array is
 * shared with the drawing list on purpose: touching a tile flattens its shade in place (§6).
 */
final class Tile {
  final int idx;
  final double roadFriction = 1.0;
  final double[] color;
  boolean visited;

  Tile(int idx, double[] color) {
    this.idx = idx;
    this.color = color;
  }
}
