package io.worldstream.encode;

/**
 * An experience record the encoder will not encode. Thrown inside the topology and turned into a
 * dead-letter record by {@link DeadLetters}; it carries no stack trace because it is an answer
 * about the data, not a fault in the code.
 */
public final class RejectedStep extends RuntimeException {

  private final Rejection reason;

  public RejectedStep(Rejection reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Rejection reason() {
    return reason;
  }
}
