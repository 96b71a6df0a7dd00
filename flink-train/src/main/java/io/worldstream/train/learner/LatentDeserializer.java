package io.worldstream.train.learner;

import io.worldstream.records.LatentStep;
import io.worldstream.schemas.RecordFormatException;
import io.worldstream.schemas.Topics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes wm.latents records into steps; a record that does not decode, or whose latents or action
 * have the wrong size or are not finite, becomes a rejection that keeps its bytes. Nothing is
 * dropped here.
 */
public final class LatentDeserializer implements KafkaRecordDeserializationSchema<LatentInput> {

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LatentInput> out) {
    LatentInput input = new LatentInput();
    input.key = record.key();
    input.value = record.value();
    input.topic = record.topic();
    input.partition = record.partition();
    input.offset = record.offset();
    try {
      LatentStep latent =
          Topics.LATENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (latent == null) {
        input.rejection = "MISSING_VALUE: the record has no value";
      } else {
        EpisodeStep step = EpisodeStep.of(latent);
        input.rejection = step.defect();
        input.step = input.rejection == null ? step : null;
      }
    } catch (RecordFormatException e) {
      input.rejection = e.reason() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      input.rejection = "MALFORMED: " + e.getMessage();
    }
    out.collect(input);
  }

  @Override
  public TypeInformation<LatentInput> getProducedType() {
    return TypeInformation.of(LatentInput.class);
  }
}
