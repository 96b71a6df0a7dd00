package io.worldstream.encode;

import io.worldstream.schemas.DeadLetterHeaders;
import io.worldstream.schemas.RecordFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters through Kafka Streams' own dead-letter support (KIP-1034): the exception handlers
 * below answer a rejected record with a copy of its original key, value and headers for {@code
 * errors.dead.letter.queue.topic.name}, plus headers saying why, where it came from and when. The
 * copy is written by the task's producer, so it commits or aborts with the task's transaction.
 */
public final class DeadLetters {

  /** {@link Rejection} name. */
  public static final String REASON = DeadLetterHeaders.REASON;

  /** What exactly was wrong, for a person. */
  public static final String DETAIL = DeadLetterHeaders.DETAIL;

  public static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
  public static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
  public static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

  /** When the encoder rejected the record, ISO-8601 UTC. */
  public static final String REJECTED_AT = DeadLetterHeaders.REJECTED_AT;

  /** Config key under which the handlers find the {@link EncoderMetrics} to count rejections in. */
  public static final String METRICS_CONFIG = "worldstream.encoder.metrics";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() {}

  /** The dead letter for a rejected record: its own bytes and headers plus the reason headers. */
  static ProducerRecord<byte[], byte[]> letter(
      String dlqTopic,
      byte[] key,
      byte[] value,
      Headers original,
      String topic,
      int partition,
      long offset,
      Rejection reason,
      String detail) {
    Headers headers = new RecordHeaders();
    for (Header header : original) {
      if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
        headers.add(header);
      }
    }
    headers.add(REASON, utf8(reason.name()));
    headers.add(DETAIL, utf8(detail));
    headers.add(SOURCE_TOPIC, utf8(topic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    headers.add(REJECTED_AT, utf8(Instant.now().toString()));
    return new ProducerRecord<>(dlqTopic, null, key, value, headers);
  }

  /** A header's value as text, or null when absent. */
  public static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What both handlers read from the Streams configuration. */
  private static final class Settings {
    final String topic;
    final EncoderMetrics metrics;

    Settings(Map<String, ?> configs) {
      Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
      if (name == null) {
        throw new IllegalArgumentException(
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the DLQ topic");
      }
      this.topic = name.toString();
      Object metrics = configs.get(METRICS_CONFIG);
      this.metrics = metrics instanceof EncoderMetrics m ? m : new EncoderMetrics();
    }
  }

  /** Bytes that do not decode as an ExperienceStep. */
  public static final class UndecodableRecords implements DeserializationExceptionHandler {
    private Settings settings;

    @Override
    public void configure(Map<String, ?> configs) {
      settings = new Settings(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      if (!(exception instanceof RecordFormatException format)) {
        log.error(
            "Cannot read {}-{}@{}; stopping so that nothing is skipped",
            record.topic(),
            record.partition(),
            record.offset(),
            exception);
        return Response.fail();
      }
      Rejection reason = Rejection.of(format.reason());
      settings.metrics.rejected(reason);
      return Response.resume(
          List.of(
              letter(
                  settings.topic,
                  record.key(),
                  record.value(),
                  record.headers(),
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  reason,
                  format.getMessage())));
    }
  }

  /** Records that decode but fail {@link StepValidator}; any other failure stops the app. */
  public static final class InvalidSteps implements ProcessingExceptionHandler {
    private Settings settings;

    @Override
    public void configure(Map<String, ?> configs) {
      settings = new Settings(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (!(exception instanceof RejectedStep rejected)) {
        log.error(
            "Processing {}-{}@{} in {} failed; stopping so that nothing is skipped",
            context.topic(),
            context.partition(),
            context.offset(),
            context.processorNodeId(),
            exception);
        return Response.fail();
      }
      settings.metrics.rejected(rejected.reason());
      return Response.resume(
          List.of(
              letter(
                  settings.topic,
                  context.sourceRawKey(),
                  context.sourceRawValue(),
                  context.headers(),
                  context.topic(),
                  context.partition(),
                  context.offset(),
                  rejected.reason(),
                  rejected.getMessage())));
    }
  }
}
