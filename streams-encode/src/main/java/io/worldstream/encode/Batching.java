package io.worldstream.encode;

import java.time.Duration;

/**
 * How frames are gathered for the VAE: a batch is encoded when it holds {@code maxFrames} frames or
 * its oldest frame has waited {@code maxDelay}, whichever comes first.
 */
public record Batching(int maxFrames, Duration maxDelay) {

  /** Chosen by measurement: see docs/BENCHMARKS.md, "Encoder". */
  public static final Batching DEFAULT = new Batching(32, Duration.ofMillis(10));

  public Batching {
    if (maxFrames < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + maxFrames);
    }
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("batch delay must be positive, not " + maxDelay);
    }
  }

  /** How often to check the age of a waiting batch: a quarter of the delay, at least 1 ms. */
  Duration tick() {
    return Duration.ofMillis(Math.max(1, maxDelay.toMillis() / 4));
  }
}
