package io.worldstream.envs;

/**
 * An 8-bit image, row-major with row 0 at the top and channels last (HWC, RGB): the byte at ((y *
 * width) + x) * channels + c. The array is owned by this value; do not modify it.
 */
public record Pixels(int height, int width, int channels, byte[] data) {

  public Pixels {
    if (data.length != height * width * channels) {
      throw new IllegalArgumentException(
          "expected "
              + height * width * channels
              + " bytes for "
              + height
              + "x"
              + width
              + "x"
              + channels
              + ", got "
              + data.length);
    }
  }

  /** Channel c of the pixel at row y, column x, as 0–255. */
  public int get(int y, int x, int c) {
    return data[(y * width + x) * channels + c] & 0xFF;
  }
}
