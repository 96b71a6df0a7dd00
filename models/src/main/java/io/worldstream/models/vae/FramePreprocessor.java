package io.worldstream.models.vae;

/**
 * The one place frames become VAE inputs, for training and serving alike: keep the top 84 rows of a
 * 96×96 RGB observation (below is the HUD), shrink them to 64×64 by area averaging (each output
 * pixel is the exact area-weighted mean of the source pixels it covers), scale to [0, 1], and lay
 * out channels first (CHW).
 */
public final class FramePreprocessor {

  /** Observation rows kept: CarRacing's HUD starts at row 84. */
  public static final int CROP_ROWS = 84;

  private final int width;
  private final int channels;
  private final Axis rows;
  private final Axis columns;

  /** For frames of {@code height × width × channels} bytes, HWC. */
  public FramePreprocessor(int height, int width, int channels) {
    if (channels != VaeSpec.CHANNELS) {
      throw new IllegalArgumentException(
          "the VAE takes " + VaeSpec.CHANNELS + "-channel frames, not " + channels);
    }
    if (height < CROP_ROWS || width < VaeSpec.IMAGE) {
      throw new IllegalArgumentException(
          "frames must be at least "
              + CROP_ROWS
              + " rows and "
              + VaeSpec.IMAGE
              + " columns, not "
              + height
              + "x"
              + width);
    }
    this.width = width;
    this.channels = channels;
    this.rows = new Axis(CROP_ROWS, VaeSpec.IMAGE);
    this.columns = new Axis(width, VaeSpec.IMAGE);
  }

  /** CarRacing's 96×96×3 observations. */
  public static FramePreprocessor carRacing() {
    return new FramePreprocessor(96, 96, 3);
  }

  /** Writes one frame's [3, 64, 64] floats at {@code out[offset]}. */
  public void preprocess(byte[] hwc, float[] out, int offset) {
    int plane = VaeSpec.IMAGE * VaeSpec.IMAGE;
    for (int oy = 0; oy < VaeSpec.IMAGE; oy++) {
      for (int ox = 0; ox < VaeSpec.IMAGE; ox++) {
        double r = 0;
        double g = 0;
        double b = 0;
        for (int i = rows.start[oy]; i < rows.end[oy]; i++) {
          double wy = rows.weight[oy][i - rows.start[oy]];
          int rowBase = i * width * channels;
          for (int j = columns.start[ox]; j < columns.end[ox]; j++) {
            double w = wy * columns.weight[ox][j - columns.start[ox]];
            int p = rowBase + j * channels;
            r += w * (hwc[p] & 0xFF);
            g += w * (hwc[p + 1] & 0xFF);
            b += w * (hwc[p + 2] & 0xFF);
          }
        }
        int o = offset + oy * VaeSpec.IMAGE + ox;
        out[o] = (float) (r / 255.0);
        out[o + plane] = (float) (g / 255.0);
        out[o + 2 * plane] = (float) (b / 255.0);
      }
    }
  }

  /**
   * Area weights along one axis: n source samples onto m outputs, each row of weights summing to 1.
   */
  private static final class Axis {
    final int[] start;
    final int[] end;
    final double[][] weight;

    Axis(int n, int m) {
      start = new int[m];
      end = new int[m];
      weight = new double[m][];
      double scale = (double) n / m;
      for (int o = 0; o < m; o++) {
        double from = o * scale;
        double to = (o + 1) * scale;
        start[o] = (int) Math.floor(from);
        end[o] = Math.min(n, (int) Math.ceil(to));
        weight[o] = new double[end[o] - start[o]];
        for (int i = start[o]; i < end[o]; i++) {
          double overlap = Math.min(to, i + 1) - Math.max(from, i);
          weight[o][i - start[o]] = overlap / scale;
        }
      }
    }
  }
}
