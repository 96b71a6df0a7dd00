package io.worldstream.app;

/**
 * A command could not do its job for a reason the user can act on; the message says what was wrong
 * and what to do, and is printed on one line without a stack trace.
 */
public final class CommandFailure extends RuntimeException {

  private final int exitCode;

  public CommandFailure(String message) {
    this(message, Worldstream.FAILED, null);
  }

  public CommandFailure(String message, Throwable cause) {
    this(message, Worldstream.FAILED, cause);
  }

  public CommandFailure(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
