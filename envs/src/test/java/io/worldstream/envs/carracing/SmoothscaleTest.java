package io.worldstream.envs.carracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planned downscale against a direct transcription of pygame's C filter (spec §8.7). */
class SmoothscaleTest {

  /** pygame's filter_shrink_X_ONLYC / _Y_ONLYC on one channel of one line, sample by sample. */
  static int[] pygameShrink(int[] samples, int m) {
    int n = samples.length;
    long space = 0x10000L * n / m;
    long recip = 0x100000000L / space;
    int[] out = new int[m];
    long acc = 0;
    long counter = space;
    int o = 0;
    for (int p : samples) {
      if (counter > 0x10000) {
        acc += p;
        counter -= 0x10000;
      } else {
        out[o++] = (int) (((acc + ((p * counter) >> 16)) * recip) >> 16) & 0xFF;
        long frac = 0x10000 - counter;
        acc = (p * frac) >> 16;
        counter = space - frac;
      }
    }
    return out;
  }

  static byte[] reference(int[] src, int w, int h, int dw, int dh) {
    int[][] mid = new int[3][dw * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        int[] line = new int[w];
        for (int x = 0; x < w; x++) {
          line[x] = (src[y * w + x] >>> (16 - 8 * c)) & 0xFF;
        }
        System.arraycopy(pygameShrink(line, dw), 0, mid[c], y * dw, dw);
      }
    }
    byte[] out = new byte[dw * dh * 3];
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < dw; x++) {
        int[] column = new int[h];
        for (int y = 0; y < h; y++) {
          column[y] = mid[c][y * dw + x];
        }
        int[] shrunk = pygameShrink(column, dh);
        for (int y = 0; y < dh; y++) {
          out[(y * dw + x) * 3 + c] = (byte) shrunk[y];
        }
      }
    }
    return out;
  }

  @Test
  void shouldEqualPygamesFilterOnNoise() {
    int[] canvas = new int[1000 * 800];
    Random random = new Random(5);
    for (int i = 0; i < canvas.length; i++) {
      canvas[i] = random.nextInt(1 << 24);
    }
    for (int[] size : new int[][] {{96, 96}, {600, 400}, {97, 13}}) {
      byte[] planned = new byte[size[0] * size[1] * 3];
      new Smoothscale(1000, 800, size[0], size[1]).scale(canvas, planned);
      assertThat(planned)
          .as("%dx%d", size[0], size[1])
          .isEqualTo(reference(canvas, 1000, 800, size[0], size[1]));
    }
  }

  @Test
  void shouldEqualPygamesFilterOnRepeatedRows() {
    int[] canvas = new int[1000 * 800];
    Random random = new Random(9);
    for (int y = 0; y < 800; y++) {
      int colour = y % 7 < 4 && y > 0 ? canvas[(y - 1) * 1000] : random.nextInt(1 << 24);
      java.util.Arrays.fill(canvas, y * 1000, (y + 1) * 1000, colour);
    }
    byte[] planned = new byte[96 * 96 * 3];
    new Smoothscale(1000, 800, 96, 96).scale(canvas, planned);
    assertThat(planned).isEqualTo(reference(canvas, 1000, 800, 96, 96));
  }

  /**
   * Rows that differ from the row above in a few places, as a drawn scene does: rotated polygons
   * over a flat background, and single changed pixels anywhere, the first and last columns
   * included.
   */
  @Test
  void shouldEqualPygamesFilterWhereRowsChangeInAFewPlaces() {
    int[] canvas = new int[1000 * 800];
    Random random = new Random(13);
    java.util.Arrays.fill(canvas, 0x66CC66);
    double[] xs = new double[4];
    double[] ys = new double[4];
    for (int p = 0; p < 40; p++) {
      double cx = random.nextDouble() * 1000;
      double cy = random.nextDouble() * 800;
      double r = 20 + random.nextDouble() * 200;
      double angle = random.nextDouble() * Math.PI;
      for (int k = 0; k < 4; k++) {
        xs[k] = cx + r * Math.cos(angle + k * Math.PI / 2);
        ys[k] = cy + r * Math.sin(angle + k * Math.PI / 2);
      }
      ConvexFill.fill(canvas, 1000, 800, xs, ys, 4, random.nextInt(1 << 24));
    }
    for (int y = 0; y < 800; y++) {
      for (int x : new int[] {0, 999, random.nextInt(1000)}) {
        if (random.nextInt(5) == 0) {
          canvas[y * 1000 + x] = random.nextInt(1 << 24);
        }
      }
    }
    for (int[] size : new int[][] {{96, 96}, {97, 13}}) {
      byte[] planned = new byte[size[0] * size[1] * 3];
      new Smoothscale(1000, 800, size[0], size[1]).scale(canvas, planned);
      assertThat(planned)
          .as("%dx%d", size[0], size[1])
          .isEqualTo(reference(canvas, 1000, 800, size[0], size[1]));
    }
  }

  @Test
  void shouldDarkenFlatAreasLikePygame() {
    int[] canvas = new int[1000 * 800];
    java.util.Arrays.fill(canvas, 102 << 16 | 204 << 8 | 255);
    byte[] out = new byte[96 * 96 * 3];
    new Smoothscale(1000, 800, 96, 96).scale(canvas, out);
    assertThat(out[0] & 0xFF).isEqualTo(100);
    assertThat(out[1] & 0xFF).isEqualTo(202);
    assertThat(out[2] & 0xFF).isEqualTo(253);
  }
}
