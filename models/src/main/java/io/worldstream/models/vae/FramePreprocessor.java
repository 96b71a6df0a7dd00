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

  /**
   * The area filter flattened: output pixel {@code o} (row-major over 64×64) is the sum over taps
   * {@code k} in {@code [tapStart[o], tapStart[o + 1])} of {@code tapWeight[k]} times the source
   * pixel at byte offset {@code tapOffset[k]}; the weights include the 1/255 scaling.
   */
  private final int[] tapStart;

  private final int[] tapOffset;
  private final float[] tapWeight;

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
    Axis rows = new Axis(CROP_ROWS, VaeSpec.IMAGE);
    Axis columns = new Axis(width, VaeSpec.IMAGE);
    int outputs = VaeSpec.IMAGE * VaeSpec.IMAGE;
    tapStart = new int[outputs + 1];
    int taps = 0;
    for (int oy = 0; oy < VaeSpec.IMAGE; oy++) {
      for (int ox = 0; ox < VaeSpec.IMAGE; ox++) {
        taps += (rows.end[oy] - rows.start[oy]) * (columns.end[ox] - columns.start[ox]);
      }
    }
    tapOffset = new int[taps];
    tapWeight = new float[taps];
    int k = 0;
    for (int oy = 0; oy < VaeSpec.IMAGE; oy++) {
      for (int ox = 0; ox < VaeSpec.IMAGE; ox++) {
        tapStart[oy * VaeSpec.IMAGE + ox] = k;
        for (int i = rows.start[oy]; i < rows.end[oy]; i++) {
          for (int j = columns.start[ox]; j < columns.end[ox]; j++) {
            tapOffset[k] = (i * width + j) * channels;
            tapWeight[k] =
                (float)
                    (rows.weight[oy][i - rows.start[oy]]
                        * columns.weight[ox][j - columns.start[ox]]
                        / 255.0);
            k++;
          }
        }
      }
    }
    tapStart[outputs] = k;
  }

  /** CarRacing's 96×96×3 observations. */
  public static FramePreprocessor carRacing() {
    return new FramePreprocessor(
        VaeSpec.OBSERVATION_HEIGHT, VaeSpec.OBSERVATION_WIDTH, VaeSpec.OBSERVATION_CHANNELS);
  }

  /** Writes one frame's [3, 64, 64] floats at {@code out[offset]}. */
  public void preprocess(byte[] hwc, float[] out, int offset) {
    int plane = VaeSpec.IMAGE * VaeSpec.IMAGE;
    for (int o = 0; o < plane; o++) {
      float r = 0;
      float g = 0;
      float b = 0;
      for (int k = tapStart[o]; k < tapStart[o + 1]; k++) {
        int p = tapOffset[k];
        float w = tapWeight[k];
        r += w * (hwc[p] & 0xFF);
        g += w * (hwc[p + 1] & 0xFF);
        b += w * (hwc[p + 2] & 0xFF);
      }
      out[offset + o] = r;
      out[offset + o + plane] = g;
      out[offset + o + 2 * plane] = b;
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
