package io.worldstream.serving.http;

/** Numbers as the API writes them. */
public final class JsonNumbers {

  private JsonNumbers() {}

  /** JSON has no NaN or infinity: those become null. */
  public static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
