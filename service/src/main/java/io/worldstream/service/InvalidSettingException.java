package io.worldstream.service;

/**
 * A setting a service cannot run with, said in the service's terms. {@link #setting()} is the
 * setting's name as the settings record spells it in kebab case (the command line's flag without
 * its dashes), so whoever read the value can say where it came from.
 */
public final class InvalidSettingException extends IllegalArgumentException {

  private final String setting;

  public InvalidSettingException(String setting, String message) {
    super(message);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }

  /** Throws unless {@code value ≥ min}: "{@code what} must be at least {@code min}, not …". */
  public static int atLeast(String setting, String what, int value, int min) {
    if (value < min) {
      throw new InvalidSettingException(
          setting, what + " must be at least " + min + ", not " + value);
    }
    return value;
  }

  /** Throws unless {@code value} is positive. */
  public static java.time.Duration positive(String setting, String what, java.time.Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidSettingException(setting, what + " must be positive, not " + value);
    }
    return value;
  }
}
