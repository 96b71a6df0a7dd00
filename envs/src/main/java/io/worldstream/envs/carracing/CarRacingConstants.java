package io.worldstream.envs.carracing;

/** CarRacing-v3's constants (spec §1), in world metres unless a name says otherwise. */
final class CarRacingConstants {

  static final int STATE_W = 96;
  static final int STATE_H = 96;
  static final int VIDEO_W = 600;
  static final int VIDEO_H = 400;
  static final int WINDOW_W = 1000;
  static final int WINDOW_H = 800;

  static final double SCALE = 6.0;
  static final double TRACK_RAD = 900 / SCALE;
  static final double PLAYFIELD = 2000 / SCALE;
  static final int FPS = 50;
  static final double ZOOM = 2.7;
  static final double TRACK_DETAIL_STEP = 21 / SCALE;
  static final double TRACK_TURN_RATE = 0.31;
  static final double TRACK_WIDTH = 40 / SCALE;
  static final double BORDER = 8 / SCALE;
  static final double GRASS_DIM = PLAYFIELD / 20.0;
  static final int CHECKPOINTS = 12;

  static final int MAX_EPISODE_STEPS = 1000;
  static final double LAP_COMPLETE_PERCENT = 0.95;

  private CarRacingConstants() {}
}
