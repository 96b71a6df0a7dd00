package io.worldstream.schemas;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic of the catalogue: its name, the serdes of its keys and values, and how it is
 * created. Code refers to the {@link Topics} constants, never to the name.
 *
 * @param partitions partitions created by {@code worldstream topics create}
 * @param configs topic-level configs (cleanup policy, retention, {@code max.message.bytes})
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    Map<String, String> configs,
    String description) {

  public Topic {
    configs = Map.copyOf(configs);
  }

  /**
   * The topic as the admin client creates it; the replication factor is the broker's {@code
   * default.replication.factor} unless given.
   */
  public NewTopic newTopic(Optional<Short> replicationFactor) {
    return new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
  }
}
