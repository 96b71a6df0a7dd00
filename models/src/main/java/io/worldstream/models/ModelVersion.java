package io.worldstream.models;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A model's version is the lowercase hex sha256 of its ONNX bytes: equal bytes, equal version. */
public final class ModelVersion {

  private ModelVersion() {}

  public static String of(byte[] onnx) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The first 12 hex digits, as logs and progress lines show a version. */
  public static String shortForm(String version) {
    return version.substring(0, Math.min(12, version.length()));
  }

  /**
   * The bytes of a model that travelled in a record with its sha256 (a checkpoint, a VAE), after
   * checking them against it.
   *
   * @throws IllegalArgumentException if they do not match: the model is corrupt and must not serve
   */
  public static byte[] verified(ByteBuffer onnx, String sha256) {
    ByteBuffer view = onnx.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    String actual = of(bytes);
    if (!actual.equalsIgnoreCase(sha256)) {
      throw new IllegalArgumentException(
          "its bytes hash to "
              + shortForm(actual)
              + ", not to the sha256 it names, "
              + shortForm(sha256)
              + " (corrupt)");
    }
    return bytes;
  }
}
