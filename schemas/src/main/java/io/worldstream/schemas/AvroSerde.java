package io.worldstream.schemas;

import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.RecordFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record type using Avro's single-object encoding: every message
 * starts with the marker 0xC3 0x01 and the writer schema's 64-bit fingerprint, so a reader resolves
 * it against whichever known writer schema produced it — no schema registry. Instances are
 * thread-safe and stateless towards Kafka's {@code configure}/{@code close}.
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  static {
    // Avro 1.12 instantiates only trusted classes named by a schema; trust our generated records.
    String records = ExperienceStep.class.getPackageName();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            ClassSecurityValidator.getGlobal(), c -> c.getPackageName().equals(records)));
  }

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, SchemaStore writerSchemas) {
    this.type = type;
    Schema schema = SpecificData.get().getSchema(type);
    SpecificData model = new SpecificData(type.getClassLoader());
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, writerSchemas);
  }

  /** A serde for {@code type} that reads every schema version bundled with this release. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, WriterSchemas.bundled());
  }

  /** A serde for {@code type} that resolves writer schemas from {@code writerSchemas}. */
  public static <T extends SpecificRecord> AvroSerde<T> of(
      Class<T> type, SchemaStore writerSchemas) {
    return new AvroSerde<>(type, writerSchemas);
  }

  /** The record class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes one message.
   *
   * @throws RecordFormatException if the bytes are not a complete {@code T} in a known schema
   */
  public T decode(byte[] bytes) {
    var in = new ByteArrayInputStream(bytes);
    T record;
    try {
      record = decoder.decode(in, null);
    } catch (BadHeaderException e) {
      throw fail(hasMarker(bytes) ? Reason.TRUNCATED : Reason.BAD_MAGIC, bytes, e.getMessage(), e);
    } catch (MissingSchemaException e) {
      throw fail(
          Reason.UNKNOWN_SCHEMA,
          bytes,
          e.getMessage() + "; it was written with a schema this reader was not deployed with",
          e);
    } catch (IOException | RuntimeException e) {
      Reason reason = hasCause(e, EOFException.class) ? Reason.TRUNCATED : Reason.MALFORMED;
      throw fail(reason, bytes, rootMessage(e), e);
    }
    if (in.available() > 0) {
      throw fail(Reason.MALFORMED, bytes, in.available() + " bytes follow the record", null);
    }
    return record;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : encode(data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : decode(data);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  private RecordFormatException fail(Reason reason, byte[] bytes, String detail, Throwable cause) {
    return new RecordFormatException(
        reason,
        "Not a valid "
            + type.getSimpleName()
            + " message ("
            + reason
            + ", "
            + bytes.length
            + " bytes): "
            + detail,
        cause);
  }

  /** Whether the bytes start like a single-object message; shorter prefixes count as a start. */
  private static boolean hasMarker(byte[] bytes) {
    return (bytes.length < 1 || bytes[0] == (byte) 0xC3) && (bytes.length < 2 || bytes[1] == 0x01);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> kind) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
