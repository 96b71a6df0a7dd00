package io.worldstream.envs.random;

/**
 * numpy's default bit generator, {@code Generator(PCG64(SeedSequence(seed)))}, bit for bit: the
 * same seed gives the same doubles as {@code numpy.random.default_rng(seed)}. This is what makes a
 * seed give the same CarRacing track as Gymnasium (spec Appendix A). Not thread-safe.
 *
 * <p>The 128-bit state and increment are held as (high, low) pairs of longs.
 */
public final class Pcg64 {

  private static final long MULT_HI = 0x2360ED051FC65DA4L;
  private static final long MULT_LO = 0x4385DF649FCCF645L;

  private long stateHi;
  private long stateLo;
  private final long incHi;
  private final long incLo;

  /** Seeds from a non-negative integer as {@code default_rng(seed)} does. */
  public Pcg64(long seed) {
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be non-negative, not " + seed);
    }
    long[] words = SeedSequence.generateState64(seed, 4);
    long initStateHi = words[0];
    long initStateLo = words[1];
    // inc = (initseq << 1) | 1, with initseq = (words[2] << 64) | words[3]
    incHi = (words[2] << 1) | (words[3] >>> 63);
    incLo = (words[3] << 1) | 1L;
    stateHi = 0;
    stateLo = 0;
    advance();
    long lo = stateLo + initStateLo;
    stateHi = stateHi + initStateHi + (Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0);
    stateLo = lo;
    advance();
  }

  /** The next raw 64-bit output (numpy's {@code bit_generator.random_raw()}). */
  public long nextLong() {
    advance();
    int rot = (int) (stateHi >>> 58);
    long x = stateHi ^ stateLo;
    return Long.rotateRight(x, rot);
  }

  /** A double in [0, 1) as {@code Generator.random()}: 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** {@code Generator.uniform(low, high)}. */
  public double uniform(double low, double high) {
    return low + (high - low) * nextDouble();
  }

  /**
   * {@code Generator.integers(n)} for small n, by Lemire's method on the low 32 bits of one output;
   * the high half that numpy buffers is only used by a second 32-bit request, which CarRacing never
   * makes, so it is dropped here.
   */
  public int integers(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, not " + n);
    }
    long bound = n;
    while (true) {
      long u = nextLong() & 0xFFFF_FFFFL;
      long m = u * bound;
      long leftover = m & 0xFFFF_FFFFL;
      if (leftover >= bound || leftover >= ((1L << 32) - bound) % bound) {
        return (int) (m >>> 32);
      }
    }
  }

  /** state = state * MULT + inc (mod 2^128). */
  private void advance() {
    long lo = stateLo * MULT_LO;
    long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
    long sumLo = lo + incLo;
    hi += incHi + (Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0);
    stateLo = sumLo;
    stateHi = hi;
  }

  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }
}
