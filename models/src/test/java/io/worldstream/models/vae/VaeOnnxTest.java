package io.worldstream.models.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.models.RandomWeights;
import io.worldstream.models.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ONNX graphs of the VAE in ONNX Runtime against the loop-by-loop forward pass. */
class VaeOnnxTest {

  private static final Map<String, Tensor> WEIGHTS = RandomWeights.vae(11);

  @Test
  void shouldHaveThePapersParameterCount() {
    long count =
        VaeSpec.weightShapes().values().stream()
            .mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b))
            .sum();
    assertThat(count).isEqualTo(4_348_547);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7})
  void shouldEncodeAsTheDirectComputation(int batch) {
    Random random = new Random(batch);
    float[] frames = new float[batch * VaeSpec.PIXELS];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = random.nextFloat();
    }
    try (VaeEncoder encoder = VaeEncoder.load(VaeGraphs.encoder(WEIGHTS, "test"), 2)) {
      VaeEncoder.Latents latents = encoder.encode(frames, batch);
      double worst = 0;
      for (int b = 0; b < batch; b++) {
        double[][] expected =
            NaiveVae.encode(
                WEIGHTS, Arrays.copyOfRange(frames, b * VaeSpec.PIXELS, (b + 1) * VaeSpec.PIXELS));
        for (int i = 0; i < VaeSpec.LATENT; i++) {
          worst = Math.max(worst, Math.abs(latents.mu()[b * VaeSpec.LATENT + i] - expected[0][i]));
          worst =
              Math.max(worst, Math.abs(latents.logvar()[b * VaeSpec.LATENT + i] - expected[1][i]));
        }
      }
      assertThat(worst).isLessThan(1e-4);
      assertThat(encoder.version()).hasSize(64);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7})
  void shouldDecodeAsTheDirectComputation(int batch) {
    Random random = new Random(100 + batch);
    float[] z = new float[batch * VaeSpec.LATENT];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    try (VaeDecoder decoder = VaeDecoder.load(VaeGraphs.decoder(WEIGHTS, "test"), 2)) {
      float[] frames = decoder.decode(z, batch);
      assertThat(frames).hasSize(batch * VaeSpec.PIXELS);
      double worst = 0;
      for (int b = 0; b < batch; b++) {
        double[] expected =
            NaiveVae.decode(
                WEIGHTS, Arrays.copyOfRange(z, b * VaeSpec.LATENT, (b + 1) * VaeSpec.LATENT));
        for (int i = 0; i < VaeSpec.PIXELS; i++) {
          worst = Math.max(worst, Math.abs(frames[b * VaeSpec.PIXELS + i] - expected[i]));
        }
      }
      assertThat(worst).isLessThan(1e-5);
    }
  }

  @Test
  void shouldRefuseBytesThatAreNotAModel() {
    assertThatThrownBy(() -> VaeEncoder.load("not a model".getBytes(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a loadable VAE encoder");
  }

  @Test
  void shouldRefuseADecoderOfferedAsAnEncoder() {
    assertThatThrownBy(() -> VaeEncoder.load(VaeGraphs.decoder(WEIGHTS, "test"), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VAE encoder has no input 'frames'");
  }

  @Test
  void shouldRefuseWeightsOfTheWrongShape() {
    var wrong = new java.util.LinkedHashMap<>(WEIGHTS);
    wrong.put(
        "encoder.mu.weight",
        new Tensor("encoder.mu.weight", new long[] {16, 1024}, new float[16 * 1024]));
    assertThatThrownBy(() -> VaeGraphs.encoder(wrong, "test"))
        .hasMessageContaining("encoder.mu.weight has shape [16, 1024]");
  }
}
