package io.worldstream.encode;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;

/**
 * How frames are gathered for the VAE: a batch is encoded when it holds {@code batchSize} frames or
 * its oldest frame has waited {@code maxBatchDelay}, whichever comes first.
 */
public record Batching(int batchSize, Duration maxBatchDelay) {

  /** Chosen by measurement: see docs/BENCHMARKS.md, "Encoder". */
  public static final Batching DEFAULT = new Batching(32, Duration.ofMillis(10));

  public Batching {
    InvalidSettingException.atLeast("batch-size", "the batch size", batchSize, 1);
    InvalidSettingException.positive("max-batch-delay", "the batch delay", maxBatchDelay);
  }

  /** How often to check the age of a waiting batch: a quarter of the delay, at least 1 ms. */
  Duration tick() {
    return Duration.ofMillis(Math.max(1, maxBatchDelay.toMillis() / 4));
  }
}
