package io.worldstream.models.vae;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The VAE shipped with Worldstream, trained on frames of the Java CarRacing port; see {@code
 * MODEL_CARD.md} beside it in {@code models/src/main/resources/io/worldstream/models/vae/default}.
 */
public final class DefaultVae {

  private static final String DIR = "default/";

  private DefaultVae() {}

  /** The encoder's ONNX bytes. */
  public static byte[] encoder() {
    return read("encoder.onnx");
  }

  /** The decoder's ONNX bytes. */
  public static byte[] decoder() {
    return read("decoder.onnx");
  }

  private static byte[] read(String name) {
    try (InputStream in = DefaultVae.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the default VAE's " + name + " is missing from this build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the default VAE's " + name, e);
    }
  }
}
