package io.worldstream.train.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.vae.VaeDecoder;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same weights in DJL (training) and in ONNX Runtime (serving) give the same numbers. */
class VaeParityTest {

  private static NDManager manager;
  private static DjlVae vae;
  private static VaeEncoder encoder;
  private static VaeDecoder decoder;

  @BeforeAll
  static void build() {
    Engine.getInstance().setRandomSeed(3);
    manager = NDManager.newBaseManager();
    vae = DjlVae.initialise(manager);
    var weights = vae.weights().export();
    encoder = VaeEncoder.load(VaeGraphs.encoder(weights, "parity"), 2);
    decoder = VaeDecoder.load(VaeGraphs.decoder(weights, "parity"), 2);
  }

  @AfterAll
  static void close() {
    encoder.close();
    decoder.close();
    manager.close();
  }

  @Test
  void shouldHaveThePapersParameterCount() {
    assertThat(vae.weights().parameterCount()).isEqualTo(4_348_547);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1024})
  void shouldEncodeIdenticallyInDjlAndOnnxRuntime(int batch) {
    float[] frames = random(batch * VaeSpec.PIXELS, batch, false);
    VaeEncoder.Latents ort = encoder.encode(frames, batch);
    try (NDManager step = manager.newSubManager()) {
      NDList djl = vae.encode(step.create(frames, new Shape(batch, 3, 64, 64)));
      double worst =
          Math.max(maxAbsDiff(djl.get(0), ort.mu()), maxAbsDiff(djl.get(1), ort.logvar()));
      System.out.printf("encoder batch %d: max |Δ| %.2e%n", batch, worst);
      assertThat(worst).isLessThanOrEqualTo(1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 1024})
  void shouldDecodeIdenticallyInDjlAndOnnxRuntime(int batch) {
    float[] z = random(batch * VaeSpec.LATENT, batch, true);
    float[] ort = decoder.decode(z, batch);
    try (NDManager step = manager.newSubManager()) {
      NDArray djl = vae.decode(step.create(z, new Shape(batch, VaeSpec.LATENT)));
      double worst = maxAbsDiff(djl, ort);
      System.out.printf("decoder batch %d: max |Δ| %.2e%n", batch, worst);
      assertThat(worst).isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void shouldComputeTransposedConvolutionAsItsDefinition() {
    // A 2×2 input, a 3×3 kernel, stride 2: output (2 − 1)·2 + 3 = 5; each input pixel stamps the
    // kernel at (2y, 2x) and overlapping stamps add.
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      float[] k = {1, 2, 3, 4, 5, 6, 7, 8, 9};
      NDArray w = step.create(k, new Shape(1, 1, 3, 3));
      NDArray b = step.create(new float[] {0.5f}, new Shape(1));
      float[] y = DjlVae.convTranspose(x, w, b).toFloatArray();
      float[] expected = new float[25];
      float[] in = {1, 2, 3, 4};
      for (int iy = 0; iy < 2; iy++) {
        for (int ix = 0; ix < 2; ix++) {
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              expected[(2 * iy + i) * 5 + 2 * ix + j] += in[iy * 2 + ix] * k[i * 3 + j];
            }
          }
        }
      }
      for (int i = 0; i < 25; i++) {
        expected[i] += 0.5f;
      }
      assertThat(y).containsExactly(expected);
    }
  }

  private static float[] random(int n, long seed, boolean gaussian) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = gaussian ? (float) random.nextGaussian() : random.nextFloat();
    }
    return values;
  }

  private static double maxAbsDiff(NDArray a, float[] b) {
    float[] values = a.toFloatArray();
    assertThat(values).hasSize(b.length);
    double worst = 0;
    for (int i = 0; i < b.length; i++) {
      worst = Math.max(worst, Math.abs(values[i] - b[i]));
    }
    return worst;
  }
}
