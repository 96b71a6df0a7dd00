package io.worldstream.envs;

/** Observations are 8-bit images of this shape, row-major, channels last (HWC). */
public record ObservationSpec(int height, int width, int channels) {

  public int bytes() {
    return height * width * channels;
  }
}
