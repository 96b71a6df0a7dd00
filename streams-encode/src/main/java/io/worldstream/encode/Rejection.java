package io.worldstream.encode;

import io.worldstream.schemas.RecordFormatException;

/** Why the encoder sent an experience record to the dead-letter topic instead of encoding it. */
public enum Rejection {
  /** The bytes do not start with Avro's single-object marker. */
  BAD_MAGIC,
  /** Written with a schema this encoder was not deployed with. */
  UNKNOWN_SCHEMA,
  /** The message ends before the record does. */
  TRUNCATED,
  /** The body does not decode as an ExperienceStep. */
  MALFORMED,
  /** A record without a value (a tombstone) on the experience topic. */
  MISSING_VALUE,
  /** The record key is not the step's episode id, so per-episode order could not be kept. */
  KEY_MISMATCH,
  /** The pixel bytes are not height × width × channels as the frame declares. */
  FRAME_SIZE_MISMATCH,
  /** A frame of a shape the VAE was not trained on. */
  UNSUPPORTED_SHAPE,
  /** An action value is NaN or infinite. */
  NON_FINITE_ACTION,
  /** The reward is NaN or infinite. */
  NON_FINITE_REWARD,
  /** A negative step index. */
  NEGATIVE_STEP;

  /** The rejection matching a decoding failure. */
  public static Rejection of(RecordFormatException.Reason reason) {
    return switch (reason) {
      case BAD_MAGIC -> BAD_MAGIC;
      case UNKNOWN_SCHEMA -> UNKNOWN_SCHEMA;
      case TRUNCATED -> TRUNCATED;
      case MALFORMED -> MALFORMED;
    };
  }
}
