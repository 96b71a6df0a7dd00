package io.worldstream.app.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldstream.schemas.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record of a catalogue topic as one line of JSON. Bytes (frames, models) are summarised
 * by their size and long arrays by their length and first elements, so a line stays readable.
 */
final class RecordJson {

  /** Arrays longer than this print as {"length": n, "first": [...]}. */
  static final int MAX_ARRAY = 64;

  private static final int ARRAY_HEAD = 8;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordJson() {}

  static String line(Topic<?, ?> topic, ConsumerRecord<byte[], byte[]> record) {
    ObjectNode line = NODES.objectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    line.set("key", decoded(topic.keySerde().deserializer(), record.topic(), record.key()));
    if (record.headers().toArray().length > 0) {
      ObjectNode headers = line.putObject("headers");
      for (Header header : record.headers()) {
        headers.set(header.key(), bytesOrText(header.value()));
      }
    }
    try {
      Object value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
      line.set("value", value(value));
    } catch (RuntimeException e) {
      line.put("error", e.getMessage());
      line.set("value", bytes(record.value().length));
    }
    try {
      return MAPPER.writeValueAsString(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot render record as JSON", e);
    }
  }

  private static JsonNode decoded(
      org.apache.kafka.common.serialization.Deserializer<?> deserializer,
      String topic,
      byte[] data) {
    if (data == null) {
      return NODES.nullNode();
    }
    try {
      Object key = deserializer.deserialize(topic, data);
      return key instanceof byte[] raw ? bytesOrText(raw) : value(key);
    } catch (RuntimeException e) {
      return bytes(data.length);
    }
  }

  private static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof IndexedRecord record) {
      ObjectNode object = NODES.objectNode();
      for (Schema.Field field : record.getSchema().getFields()) {
        object.set(field.name(), value(record.get(field.pos())));
      }
      return object;
    } else if (value instanceof byte[] array) {
      return bytes(array.length);
    } else if (value instanceof ByteBuffer buffer) {
      return bytes(buffer.remaining());
    } else if (value instanceof Collection<?> items) {
      return array(items);
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(String.valueOf(k), value(v)));
      return object;
    } else if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Float f) {
      return NODES.numberNode(f);
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    }
    return NODES.textNode(value.toString());
  }

  private static JsonNode array(Collection<?> items) {
    ArrayNode elements = NODES.arrayNode();
    items.stream()
        .limit(items.size() > MAX_ARRAY ? ARRAY_HEAD : MAX_ARRAY)
        .forEach(v -> elements.add(value(v)));
    if (items.size() <= MAX_ARRAY) {
      return elements;
    }
    ObjectNode summary = NODES.objectNode();
    summary.put("length", items.size());
    summary.set("first", elements);
    return summary;
  }

  private static JsonNode bytes(int size) {
    return NODES.objectNode().put("bytes", size);
  }

  /** Header values and raw keys are usually text: shown as text when they are valid UTF-8. */
  private static JsonNode bytesOrText(byte[] data) {
    if (data == null) {
      return NODES.nullNode();
    }
    try {
      return NODES.textNode(
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString());
    } catch (CharacterCodingException e) {
      return bytes(data.length);
    }
  }
}
