package io.worldstream.envs.random;

/**
 * numpy's {@code SeedSequence} for a single non-negative integer seed: hashes the seed's 32-bit
 * words into a pool of four words and draws generator state from it (spec Appendix A). All
 * arithmetic is unsigned 32-bit, held in ints.
 */
final class SeedSequence {

  private static final int POOL_SIZE = 4;
  private static final int INIT_A = 0x43b0d7e5;
  private static final int MULT_A = 0x931e8875;
  private static final int INIT_B = 0x8b51f9dd;
  private static final int MULT_B = 0x58f38ded;
  private static final int MIX_MULT_L = 0xca01f9dd;
  private static final int MIX_MULT_R = 0x4973f715;

  private SeedSequence() {}

  /** {@code SeedSequence(seed).generate_state(n, uint64)}. */
  static long[] generateState64(long seed, int n) {
    int[] pool = pool(seed);
    int[] out32 = new int[2 * n];
    int h = INIT_B;
    for (int i = 0; i < out32.length; i++) {
      int v = pool[i % POOL_SIZE] ^ h;
      h *= MULT_B;
      v *= h;
      v ^= v >>> 16;
      out32[i] = v;
    }
    long[] out = new long[n];
    for (int j = 0; j < n; j++) {
      out[j] = Integer.toUnsignedLong(out32[2 * j]) | ((long) out32[2 * j + 1] << 32);
    }
    return out;
  }

  private static int[] pool(long seed) {
    int[] entropy =
        seed >>> 32 == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
    Hasher hasher = new Hasher();
    int[] pool = new int[POOL_SIZE];
    for (int i = 0; i < POOL_SIZE; i++) {
      pool[i] = hasher.hashmix(i < entropy.length ? entropy[i] : 0);
    }
    for (int s = 0; s < POOL_SIZE; s++) {
      for (int d = 0; d < POOL_SIZE; d++) {
        if (s != d) {
          pool[d] = mix(pool[d], hasher.hashmix(pool[s]));
        }
      }
    }
    return pool;
  }

  private static int mix(int x, int y) {
    int r = MIX_MULT_L * x - MIX_MULT_R * y;
    return r ^ (r >>> 16);
  }

  /** hashmix with its constant carried from call to call, as numpy does within one pool fill. */
  private static final class Hasher {
    private int h = INIT_A;

    int hashmix(int value) {
      int v = value ^ h;
      h *= MULT_A;
      v *= h;
      return v ^ (v >>> 16);
    }
  }
}
