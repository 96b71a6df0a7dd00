package io.worldstream.train.learner;

import io.worldstream.schemas.DeadLetterHeaders;
import io.worldstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** How the job's outputs become Kafka records. */
final class Publishing {

  private Publishing() {}

  /** A checkpoint as a {@code Checkpoint} record on wm.checkpoints, keyed by lineage/version. */
  static final class Checkpoints implements KafkaRecordSerializationSchema<PublishedModel> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        PublishedModel model, KafkaSinkContext context, Long timestamp) {
      String topic = Topics.CHECKPOINTS.name();
      return new ProducerRecord<>(
          topic,
          null,
          model.createdTime,
          Topics.CHECKPOINTS
              .keySerde()
              .serializer()
              .serialize(topic, Topics.checkpointKey(model.lineage, model.version)),
          Topics.CHECKPOINTS.valueSerde().serializer().serialize(topic, model.toRecord()));
    }
  }

  /** A rejected latent on wm.latents.dlq: its own key and value, the reason in headers. */
  static final class DeadLetters implements KafkaRecordSerializationSchema<LatentInput> {
    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        LatentInput input, KafkaSinkContext context, Long timestamp) {
      RecordHeaders headers = new RecordHeaders();
      int colon = input.rejection.indexOf(':');
      String reason = colon < 0 ? input.rejection : input.rejection.substring(0, colon);
      headers.add(DeadLetterHeaders.REASON, utf8(reason));
      headers.add(DeadLetterHeaders.DETAIL, utf8(input.rejection));
      headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(input.topic));
      headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(String.valueOf(input.partition)));
      headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(String.valueOf(input.offset)));
      headers.add(DeadLetterHeaders.REJECTED_AT, utf8(Instant.now().toString()));
      return new ProducerRecord<>(Topics.LATENTS_DLQ.name(), null, input.key, input.value, headers);
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }
}
