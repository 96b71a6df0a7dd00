package io.worldstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.RecordFormatException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

  static Stream<SpecificRecord> everyRecord() {
    return Stream.of(
        SampleRecords.experience(),
        SampleRecords.latent(),
        SampleRecords.checkpoint(),
        SampleRecords.controller(),
        SampleRecords.evaluation(),
        SampleRecords.vae());
  }

  @ParameterizedTest
  @MethodSource("everyRecord")
  <T extends SpecificRecord> void shouldRoundTripEveryRecordThroughItsTopicSerde(T record) {
    @SuppressWarnings("unchecked")
    Topic<String, T> topic =
        (Topic<String, T>)
            Topics.all().stream()
                .filter(t -> t.valueSerde() instanceof AvroSerde<?>)
                .filter(t -> serdeType(t) == record.getClass())
                .findFirst()
                .orElseThrow();

    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), record);
    T back = topic.valueSerde().deserializer().deserialize(topic.name(), bytes);

    assertThat(back).isEqualTo(record).isNotSameAs(record);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
  }

  @Test
  void shouldCarryEveryCatalogueRecordTypeInExactlyOneTopic() {
    List<Class<?>> types =
        Topics.all().stream()
            .filter(t -> t.valueSerde() instanceof AvroSerde<?>)
            .<Class<?>>map(AvroSerdeTest::serdeType)
            .toList();
    assertThat(types)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            everyRecord().<Class<?>>map(Object::getClass).toList());
  }

  @Test
  void shouldPassNullThroughAsKafkaTombstone() {
    AvroSerde<LatentStep> serde = AvroSerde.of(LatentStep.class);
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void shouldRejectBytesWithoutTheSingleObjectMarker() {
    byte[] bytes = AvroSerde.of(LatentStep.class).encode(SampleRecords.latent());
    bytes[0] = 0x7B; // '{', as if someone produced JSON

    assertThatThrownBy(() -> AvroSerde.of(LatentStep.class).decode(bytes))
        .isInstanceOfSatisfying(
            RecordFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC))
        .hasMessageContaining("LatentStep")
        .hasMessageContaining("0x7B");
  }

  @Test
  void shouldCallShortTextABadMagicNotATruncation() {
    byte[] text = "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> AvroSerde.of(LatentStep.class).decode(text))
        .isInstanceOfSatisfying(
            RecordFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC));
  }

  @Test
  void shouldRejectAnUnknownSchemaFingerprint() {
    byte[] bytes = AvroSerde.of(LatentStep.class).encode(SampleRecords.latent());
    bytes[5] ^= 0x55; // fingerprint occupies bytes 2..9

    assertThatThrownBy(() -> AvroSerde.of(LatentStep.class).decode(bytes))
        .isInstanceOfSatisfying(
            RecordFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA))
        .hasMessageContaining("fingerprint");
  }

  @Test
  void shouldRejectAnotherRecordTypeAsUnknownSchema() {
    byte[] checkpointBytes = AvroSerde.of(Checkpoint.class).encode(SampleRecords.checkpoint());
    AvroSerde<LatentStep> latents =
        AvroSerde.of(LatentStep.class, WriterSchemas.of(List.of(LatentStep.getClassSchema())));

    assertThatThrownBy(() -> latents.decode(checkpointBytes))
        .isInstanceOfSatisfying(
            RecordFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
  }

  @Test
  void shouldRejectATruncatedMessage() {
    byte[] bytes = AvroSerde.of(ExperienceStep.class).encode(SampleRecords.experience());

    for (int length : new int[] {0, 1, 9, 10, 20, bytes.length / 2, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> AvroSerde.of(ExperienceStep.class).decode(cut))
          .as("message cut to %d of %d bytes", length, bytes.length)
          .isInstanceOfSatisfying(
              RecordFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED));
    }
  }

  @Test
  void shouldRejectBytesAfterTheRecord() {
    byte[] bytes = AvroSerde.of(LatentStep.class).encode(SampleRecords.latent());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

    assertThatThrownBy(() -> AvroSerde.of(LatentStep.class).decode(longer))
        .isInstanceOfSatisfying(
            RecordFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("3 bytes follow the record");
  }

  @Test
  void shouldRejectACorruptBody() {
    byte[] bytes = AvroSerde.of(LatentStep.class).encode(SampleRecords.latent());
    // The body starts with the episode id's length as a zig-zag varint; 0x01 decodes to -1.
    bytes[10] = 0x01;

    assertThatThrownBy(() -> AvroSerde.of(LatentStep.class).decode(bytes))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("LatentStep");
  }

  private static Class<?> serdeType(Topic<?, ?> topic) {
    return ((AvroSerde<?>) topic.valueSerde()).type();
  }
}
