package io.worldstream.envs.carracing;

/**
 * pygame's {@code transform.smoothscale} for shrinking, exactly (spec §8.7): an area average in
 * 16.16 fixed point, first along rows, then along columns. Its truncations darken flat areas by
 * about two grey levels, which a floating-point average would not, so the port copies it.
 */
final class Smoothscale {

  private final int srcW;
  private final int srcH;
  private final int dstW;
  private final int dstH;
  private final long xSpace;
  private final long xRecip;
  private final long ySpace;
  private final long yRecip;

  /** The intermediate image after the horizontal pass: dstW × srcH, packed 0xRRGGBB. */
  private final int[] rows;

  Smoothscale(int srcW, int srcH, int dstW, int dstH) {
    if (dstW > srcW || dstH > srcH) {
      throw new IllegalArgumentException("only shrinking is supported");
    }
    this.srcW = srcW;
    this.srcH = srcH;
    this.dstW = dstW;
    this.dstH = dstH;
    this.xSpace = 0x10000L * srcW / dstW;
    this.xRecip = 0x100000000L / xSpace;
    this.ySpace = 0x10000L * srcH / dstH;
    this.yRecip = 0x100000000L / ySpace;
    this.rows = new int[dstW * srcH];
  }

  /**
   * Shrinks {@code src} (srcW × srcH, packed 0xRRGGBB, row-major) into {@code dst} (dstH × dstW × 3
   * bytes, RGB).
   */
  void scale(int[] src, byte[] dst) {
    for (int y = 0; y < srcH; y++) {
      shrinkLine(src, y * srcW, 1, srcW, rows, y * dstW, 1, xSpace, xRecip);
    }
    int[] column = new int[dstH];
    for (int x = 0; x < dstW; x++) {
      shrinkLine(rows, x, dstW, srcH, column, 0, 1, ySpace, yRecip);
      for (int y = 0; y < dstH; y++) {
        int p = column[y];
        int o = (y * dstW + x) * 3;
        dst[o] = (byte) (p >>> 16);
        dst[o + 1] = (byte) (p >>> 8);
        dst[o + 2] = (byte) p;
      }
    }
  }

  /**
   * One line of packed RGB samples, {@code n} of them at {@code in[inOff + k * inStride]}, shrunk
   * to the output positions {@code out[outOff + k * outStride]}. Each channel runs pygame's
   * procedure; the three are interleaved in one loop.
   */
  private static void shrinkLine(
      int[] in,
      int inOff,
      int inStride,
      int n,
      int[] out,
      int outOff,
      int outStride,
      long space,
      long recip) {
    long accR = 0;
    long accG = 0;
    long accB = 0;
    long counter = space;
    int o = outOff;
    int end = inOff + n * inStride;
    for (int i = inOff; i < end; i += inStride) {
      int p = in[i];
      long r = (p >>> 16) & 0xFF;
      long g = (p >>> 8) & 0xFF;
      long b = p & 0xFF;
      if (counter > 0x10000) {
        accR += r;
        accG += g;
        accB += b;
        counter -= 0x10000;
      } else {
        long outR = ((accR + ((r * counter) >> 16)) * recip >> 16) & 0xFF;
        long outG = ((accG + ((g * counter) >> 16)) * recip >> 16) & 0xFF;
        long outB = ((accB + ((b * counter) >> 16)) * recip >> 16) & 0xFF;
        out[o] = (int) (outR << 16 | outG << 8 | outB);
        o += outStride;
        long frac = 0x10000 - counter;
        accR = (r * frac) >> 16;
        accG = (g * frac) >> 16;
        accB = (b * frac) >> 16;
        counter = space - frac;
      }
    }
  }
}
