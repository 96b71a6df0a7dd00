package io.worldstream.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid Worldstream record. {@link #reason()} says which check failed, so a
 * dead-letter topic can carry it; the message says what was seen and what to do.
 */
public final class RecordFormatException extends SerializationException {

  /** Why a message could not be decoded. */
  public enum Reason {
    /** The first bytes are not Avro's single-object marker (0xC3 0x01). */
    BAD_MAGIC,
    /** The schema fingerprint is not one this reader knows. */
    UNKNOWN_SCHEMA,
    /** The message ends before the record does. */
    TRUNCATED,
    /** The body does not decode as the writer's schema, or bytes follow the record. */
    MALFORMED
  }

  private final Reason reason;

  public RecordFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
