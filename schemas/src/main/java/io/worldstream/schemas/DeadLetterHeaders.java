package io.worldstream.schemas;

/**
 * The headers a dead letter carries beside the rejected record's own key, value and headers: why it
 * was rejected, where it came from and when. The same on every dead-letter topic.
 */
public final class DeadLetterHeaders {

  /** A reason code, e.g. MALFORMED or NON_FINITE. */
  public static final String REASON = "worldstream.dlq.reason";

  /** The reason in words. */
  public static final String DETAIL = "worldstream.dlq.detail";

  public static final String SOURCE_TOPIC = "worldstream.dlq.source.topic";
  public static final String SOURCE_PARTITION = "worldstream.dlq.source.partition";
  public static final String SOURCE_OFFSET = "worldstream.dlq.source.offset";

  /** When the record was rejected, ISO-8601. */
  public static final String REJECTED_AT = "worldstream.dlq.rejected.at";

  /** The prefix of all of these. */
  public static final String PREFIX = "worldstream.dlq.";

  private DeadLetterHeaders() {}
}
