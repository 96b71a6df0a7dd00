package io.worldstream.models;

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
}
