package io.worldstream.models.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FramePreprocessorTest {

  @Test
  void shouldKeepAFlatColourExactly() {
    byte[] frame = new byte[96 * 96 * 3];
    for (int i = 0; i < frame.length; i += 3) {
      frame[i] = (byte) 100;
      frame[i + 1] = (byte) 202;
      frame[i + 2] = (byte) 51;
    }
    float[] out = new float[VaeSpec.PIXELS];
    FramePreprocessor.carRacing().preprocess(frame, out, 0);
    for (int p = 0; p < 64 * 64; p++) {
      assertThat(out[p]).isCloseTo(100 / 255f, within(1e-6f));
      assertThat(out[p + 4096]).isCloseTo(202 / 255f, within(1e-6f));
      assertThat(out[p + 8192]).isCloseTo(51 / 255f, within(1e-6f));
    }
  }

  @Test
  void shouldDropTheHudAndPreserveMeanBrightness() {
    byte[] frame = new byte[96 * 96 * 3];
    java.util.Random random = new java.util.Random(4);
    random.nextBytes(frame);
    double sourceMean = 0;
    for (int y = 0; y < 84; y++) {
      for (int x = 0; x < 96; x++) {
        sourceMean += frame[(y * 96 + x) * 3 + 1] & 0xFF;
      }
    }
    sourceMean /= 84 * 96 * 255.0;
    // Whatever the HUD rows hold does not matter.
    for (int i = 84 * 96 * 3; i < frame.length; i++) {
      frame[i] = (byte) 255;
    }
    float[] out = new float[VaeSpec.PIXELS];
    FramePreprocessor.carRacing().preprocess(frame, out, 0);
    double mean = 0;
    for (int p = 0; p < 4096; p++) {
      mean += out[4096 + p];
    }
    assertThat(mean / 4096).isCloseTo(sourceMean, within(1e-6));
  }

  @Test
  void shouldAverageEachOutputPixelsExactAreaOfTheSource() {
    byte[] frame = new byte[96 * 96 * 3];
    new java.util.Random(9).nextBytes(frame);
    float[] out = new float[VaeSpec.PIXELS];
    FramePreprocessor.carRacing().preprocess(frame, out, 0);

    // Independently: each source pixel weighs by the area it shares with the output pixel.
    double sy = 84.0 / 64;
    double sx = 96.0 / 64;
    for (int oy = 0; oy < 64; oy += 7) {
      for (int ox = 0; ox < 64; ox += 5) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int y = 0; y < 84; y++) {
            double dy = Math.min(y + 1, (oy + 1) * sy) - Math.max(y, oy * sy);
            for (int x = 0; x < 96; x++) {
              double dx = Math.min(x + 1, (ox + 1) * sx) - Math.max(x, ox * sx);
              if (dy > 0 && dx > 0) {
                sum += dy * dx * (frame[(y * 96 + x) * 3 + c] & 0xFF);
              }
            }
          }
          double expected = sum / (sy * sx) / 255.0;
          assertThat((double) out[c * 4096 + oy * 64 + ox]).isCloseTo(expected, within(1e-5));
        }
      }
    }
  }
}
