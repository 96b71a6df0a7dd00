package io.worldstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.RecordFormatException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Records written by one schema version are read by another. The older version is today's
 * ExperienceStep without its defaulted {@code info} field; the newer one adds a defaulted field.
 */
class SchemaEvolutionTest {

  private static final Schema CURRENT = ExperienceStep.getClassSchema();
  private static final Schema OLDER = withoutField(CURRENT, "info");
  private static final Schema NEWER =
      withExtraField(
          CURRENT,
          new Schema.Field(
              "lapsCompleted", Schema.create(Schema.Type.INT), "Laps finished so far.", 0));

  @Test
  void shouldReadARecordWrittenByAnOlderSchema() throws Exception {
    ExperienceStep expected = SampleRecords.experience();
    GenericRecord old = copyInto(OLDER, expected);
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), OLDER).encode(old).array();

    ExperienceStep read =
        AvroSerde.of(ExperienceStep.class, WriterSchemas.bundled().add(OLDER)).decode(bytes);

    assertThat(read.getInfo()).as("field the old writer did not have takes its default").isEmpty();
    assertThat(ExperienceStep.newBuilder(read).setInfo(expected.getInfo()).build())
        .isEqualTo(expected);
  }

  @Test
  void shouldLetAnOlderReaderReadTheCurrentSchema() throws Exception {
    ExperienceStep written = SampleRecords.experience();
    byte[] bytes = AvroSerde.of(ExperienceStep.class).encode(written);

    GenericRecord read =
        new BinaryMessageDecoder<GenericRecord>(GenericData.get(), OLDER, WriterSchemas.bundled())
            .decode(bytes);

    assertThat(read.getSchema()).isEqualTo(OLDER);
    assertThat(read.get("episodeId").toString()).isEqualTo(written.getEpisodeId());
    assertThat(read.get("step")).isEqualTo(written.getStep());
    assertThat(((ByteBuffer) ((GenericRecord) read.get("frame")).get("pixels")))
        .isEqualTo(written.getFrame().getPixels());
  }

  @Test
  void shouldReadARecordWrittenByANewerSchemaOnceItIsDeployed() throws Exception {
    ExperienceStep expected = SampleRecords.experience();
    GenericRecord newer = copyInto(NEWER, expected);
    newer.put("lapsCompleted", 1);
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), NEWER).encode(newer).array();

    ExperienceStep read =
        AvroSerde.of(ExperienceStep.class, WriterSchemas.bundled().add(NEWER)).decode(bytes);

    assertThat(read).isEqualTo(expected);
  }

  @Test
  void shouldNameTheProblemWhenANewerSchemaIsNotDeployed() throws Exception {
    GenericRecord newer = copyInto(NEWER, SampleRecords.experience());
    newer.put("lapsCompleted", 2);
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), NEWER).encode(newer).array();

    assertThatThrownBy(() -> AvroSerde.of(ExperienceStep.class).decode(bytes))
        .isInstanceOfSatisfying(
            RecordFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA))
        .hasMessageContaining("not deployed with");
  }

  @Test
  void shouldReadACheckpointWrittenBeforeTheLossPartsFromTheBundledHistory() throws Exception {
    Schema first =
        new Schema.Parser()
            .parse(WriterSchemas.class.getResourceAsStream("history/Checkpoint.1.avsc"));
    assertThat(first.getField("gradientSteps")).as("the superseded version").isNull();
    Checkpoint current = SampleRecords.checkpoint();
    GenericRecord old = new GenericData.Record(first);
    for (Schema.Field field : first.getFields()) {
      Object value = current.get(field.name());
      old.put(field.name(), value instanceof java.time.Instant t ? t.toEpochMilli() : value);
    }
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), first).encode(old).array();

    Checkpoint read = AvroSerde.of(Checkpoint.class).decode(bytes);

    assertThat(read.getGradientSteps()).isZero();
    assertThat(read.getTrainLossParts()).isNull();
    assertThat(read.getHeldOutLossParts()).isNull();
    assertThat(read.getOnnxModel()).isEqualTo(current.getOnnxModel());
    assertThat(read.getHeldOutLoss()).isEqualTo(current.getHeldOutLoss());
  }

  private static GenericRecord copyInto(Schema schema, ExperienceStep source) {
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Schema.Field sourceField = CURRENT.getField(field.name());
      if (sourceField != null) {
        Object value = source.get(sourceField.pos());
        record.put(
            field.name(), GenericData.get().deepCopy(sourceField.schema(), toGeneric(value)));
      }
    }
    return record;
  }

  /** Specific values nest SpecificRecords; the generic writer needs them as generic data. */
  private static Object toGeneric(Object value) {
    if (value instanceof io.worldstream.records.Frame frame) {
      GenericRecord generic = new GenericData.Record(frame.getSchema());
      for (Schema.Field f : frame.getSchema().getFields()) {
        generic.put(f.name(), frame.get(f.pos()));
      }
      return generic;
    }
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    }
    return value;
  }

  private static Schema withoutField(Schema schema, String dropped) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.name().equals(dropped)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static Schema withExtraField(Schema schema, Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    schema.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(extra);
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
