package io.worldstream.envs.carracing;

import java.util.Arrays;

/**
 * pygame's {@code transform.smoothscale} for shrinking, exactly (spec §8.7): an area average in
 * 16.16 fixed point, first along rows, then along columns. Its truncations darken flat areas by
 * about two grey levels, which a floating-point average would not, so the port copies it.
 *
 * <p>pygame walks each line with a running counter; since the counter's path depends only on the
 * line lengths, it is walked once here and kept as a {@link Plan}: every output sample is a head
 * sample weighted {@code (p * frac) >> 16}, a run of whole samples, and a tail sample weighted
 * {@code (p * counter) >> 16}: the same integer operations, without the per-sample branch.
 */
final class Smoothscale {

  /** The counter walk of one line length n → m. */
  private record Plan(
      int[] head,
      int[] headWeight,
      int[] fullFrom,
      int[] fullTo,
      int[] tail,
      int[] tailWeight,
      int recip,
      int[] firstReader,
      int[] lastReader) {

    static Plan of(int n, int m) {
      long space = 0x10000L * n / m;
      int recip = (int) (0x100000000L / space);
      int[] head = new int[m];
      int[] headWeight = new int[m];
      int[] fullFrom = new int[m];
      int[] fullTo = new int[m];
      int[] tail = new int[m];
      int[] tailWeight = new int[m];
      long counter = space;
      int o = 0;
      fullFrom[0] = 0;
      for (int i = 0; i < n && o < m; i++) {
        if (counter > 0x10000) {
          counter -= 0x10000;
        } else {
          fullTo[o] = i;
          tail[o] = i;
          tailWeight[o] = (int) counter;
          long frac = 0x10000 - counter;
          o++;
          if (o < m) {
            head[o] = i;
            headWeight[o] = (int) frac;
            fullFrom[o] = i + 1;
          }
          counter = space - frac;
        }
      }
      if (o != m) {
        throw new IllegalStateException("smoothscale plan emitted " + o + " of " + m + " samples");
      }
      // Output o reads the input samples head[o] … tail[o]; neighbours share one sample.
      int[] firstReader = new int[n];
      int[] lastReader = new int[n];
      Arrays.fill(firstReader, -1);
      Arrays.fill(lastReader, -1);
      for (int out = 0; out < m; out++) {
        for (int i = head[out]; i <= tail[out]; i++) {
          if (firstReader[i] < 0) {
            firstReader[i] = out;
          }
          lastReader[i] = out;
        }
      }
      return new Plan(
          head, headWeight, fullFrom, fullTo, tail, tailWeight, recip, firstReader, lastReader);
    }
  }

  private final int srcW;
  private final int srcH;
  private final int dstW;
  private final int dstH;
  private final Plan across;
  private final Plan down;

  /** The intermediate image after the horizontal pass: dstW × srcH, packed 0xRRGGBB. */
  private final int[] rows;

  /** Column sums of the vertical pass. */
  private final int[] redBlue;

  private final int[] green;

  Smoothscale(int srcW, int srcH, int dstW, int dstH) {
    if (dstW > srcW || dstH > srcH) {
      throw new IllegalArgumentException("only shrinking is supported");
    }
    this.srcW = srcW;
    this.srcH = srcH;
    this.dstW = dstW;
    this.dstH = dstH;
    this.across = Plan.of(srcW, dstW);
    this.down = Plan.of(srcH, dstH);
    this.rows = new int[dstW * srcH];
    this.redBlue = new int[dstW];
    this.green = new int[dstW];
  }

  /**
   * Shrinks {@code src} (srcW × srcH, packed 0xRRGGBB, row-major) into {@code dst} (dstH × dstW × 3
   * bytes, RGB).
   */
  void scale(int[] src, byte[] dst) {
    shrinkRow(src, 0, rows, 0, 0, dstW);
    for (int y = 1; y < srcH; y++) {
      shrinkChangedRow(src, y);
    }
    shrinkColumns(dst);
  }

  /**
   * The horizontal pass over row y > 0: output samples whose inputs all equal the row above's are
   * copied from its outputs; the others are computed.
   */
  private void shrinkChangedRow(int[] src, int y) {
    int row = y * srcW;
    int above = row - srcW;
    int out = y * dstW;
    int outAbove = out - dstW;
    int done = 0; // output samples before this one are written
    int from = 0; // the first input sample not yet compared
    while (done < dstW) {
      int m =
          from < srcW ? Arrays.mismatch(src, row + from, row + srcW, src, above + from, row) : -1;
      if (m < 0) {
        System.arraycopy(rows, outAbove + done, rows, out + done, dstW - done);
        return;
      }
      int changed = from + m;
      if (across.firstReader[changed] < 0) {
        from = changed + 1; // past the last sample any output reads
        continue;
      }
      int first = Math.max(done, across.firstReader[changed]);
      int last = across.lastReader[changed];
      System.arraycopy(rows, outAbove + done, rows, out + done, first - done);
      shrinkRow(src, row, rows, out, first, last + 1);
      done = last + 1;
      from = done < dstW ? across.head[done] : srcW;
    }
  }

  /**
   * The horizontal pass over output samples [fromSample, toSample) of one row. Whole samples are
   * summed with red and blue sharing one int (16 bits apart) and green in another; no lane can
   * carry into the next. All products fit an int.
   */
  private void shrinkRow(int[] in, int off, int[] out, int outOff, int fromSample, int toSample) {
    final int[] fullFrom = across.fullFrom;
    final int[] fullTo = across.fullTo;
    final int[] head = across.head;
    final int[] headWeight = across.headWeight;
    final int[] tail = across.tail;
    final int[] tailWeight = across.tailWeight;
    final int recip = across.recip;
    for (int o = fromSample; o < toSample; o++) {
      int redBlue = 0;
      int green = 0;
      for (int i = off + fullFrom[o], end = off + fullTo[o]; i < end; i++) {
        int p = in[i];
        redBlue += p & 0xFF00FF;
        green += p & 0xFF00;
      }
      out[outOff + o] =
          emit(
              redBlue,
              green,
              in[off + head[o]],
              headWeight[o],
              in[off + tail[o]],
              tailWeight[o],
              recip);
    }
  }

  /** The vertical pass, a whole output row at a time so the inner loops run along memory. */
  private void shrinkColumns(byte[] dst) {
    Plan plan = down;
    for (int o = 0; o < dstH; o++) {
      Arrays.fill(redBlue, 0);
      Arrays.fill(green, 0);
      for (int y = plan.fullFrom[o]; y < plan.fullTo[o]; y++) {
        int row = y * dstW;
        for (int x = 0; x < dstW; x++) {
          int p = rows[row + x];
          redBlue[x] += p & 0xFF00FF;
          green[x] += p & 0xFF00;
        }
      }
      int head = plan.head[o] * dstW;
      int tail = plan.tail[o] * dstW;
      for (int x = 0; x < dstW; x++) {
        int p =
            emit(
                redBlue[x],
                green[x],
                rows[head + x],
                plan.headWeight[o],
                rows[tail + x],
                plan.tailWeight[o],
                plan.recip);
        int d = (o * dstW + x) * 3;
        dst[d] = (byte) (p >>> 16);
        dst[d + 1] = (byte) (p >>> 8);
        dst[d + 2] = (byte) p;
      }
    }
  }

  /** One output sample from its lane sums and its weighted head and tail samples. */
  private static int emit(int redBlue, int green, int h, int hw, int t, int tw, int recip) {
    int r = channel(redBlue >>> 16, (h >>> 16) & 0xFF, hw, (t >>> 16) & 0xFF, tw, recip);
    int g = channel(green >>> 8, (h >>> 8) & 0xFF, hw, (t >>> 8) & 0xFF, tw, recip);
    int b = channel(redBlue & 0xFFFF, h & 0xFF, hw, t & 0xFF, tw, recip);
    return r << 16 | g << 8 | b;
  }

  /** pygame's emit: ((head part + whole samples + tail part) * recip) >> 16, kept as 8 bits. */
  private static int channel(
      int whole, int head, int headWeight, int tail, int tailWeight, int recip) {
    int acc = (head * headWeight >>> 16) + whole + (tail * tailWeight >>> 16);
    return (acc * recip >>> 16) & 0xFF;
  }
}
