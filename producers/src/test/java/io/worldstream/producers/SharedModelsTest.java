package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Features from calls shared by several threads equal each thread's own unbatched calls. */
class SharedModelsTest {

  private static final int THREADS = 4;
  private static final int STEPS = 10;

  @Test
  void givesEveryThreadTheFeaturesItsOwnCallsWould() throws Exception {
    byte[] mdn = MdnGraphs.step(RandomWeights.mdn(3), "test");
    try (VaeEncoder vae = VaeEncoder.load(DefaultVae.encoder(), 1);
        MdnRnnStep alone = MdnRnnStep.load(mdn, 1);
        SharedModels.Step shared = new SharedModels.Step(MdnRnnStep.load(mdn, 1))) {
      SharedModels.Encoder encoder = new SharedModels.Encoder(vae);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<float[]>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          long seed = t;
          runs.add(pool.submit(() -> run(seed, encoder::mu, shared::advance)));
        }
        for (int t = 0; t < THREADS; t++) {
          float[] expected =
              run(
                  t,
                  frame -> vae.encodeObservations(List.of(frame)).mu(),
                  (z, a, h, c) -> {
                    MdnRnnStep.Output out = alone.step(z, a, h, c, 1);
                    System.arraycopy(out.h(), 0, h, 0, MdnSpec.HIDDEN);
                    System.arraycopy(out.c(), 0, c, 0, MdnSpec.HIDDEN);
                  });
          float[] got = runs.get(t).get(60, TimeUnit.SECONDS);
          for (int i = 0; i < expected.length; i++) {
            assertThat(got[i])
                .as("thread %d, value %d", t, i)
                .isCloseTo(expected[i], Offset.offset(1e-4f));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private interface Encode {
    float[] mu(byte[] frame);
  }

  private interface Advance {
    void advance(float[] z, float[] a, float[] h, float[] c);
  }

  /** One environment's steps on seeded random frames and actions: its z and h, step after step. */
  private static float[] run(long seed, Encode encode, Advance advance) {
    Random random = new Random(seed);
    float[] h = new float[MdnSpec.HIDDEN];
    float[] c = new float[MdnSpec.HIDDEN];
    float[] trace = new float[STEPS * (MdnSpec.LATENT + MdnSpec.HIDDEN)];
    byte[] frame = new byte[96 * 96 * 3];
    for (int t = 0; t < STEPS; t++) {
      random.nextBytes(frame);
      float[] z = encode.mu(frame);
      float[] a = {random.nextFloat() * 2 - 1, random.nextFloat(), random.nextFloat()};
      advance.advance(z, a, h, c);
      int at = t * (MdnSpec.LATENT + MdnSpec.HIDDEN);
      System.arraycopy(z, 0, trace, at, MdnSpec.LATENT);
      System.arraycopy(h, 0, trace, at + MdnSpec.LATENT, MdnSpec.HIDDEN);
    }
    return trace;
  }
}
