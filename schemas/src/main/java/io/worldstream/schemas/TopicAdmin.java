package io.worldstream.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates and describes the catalogue's topics on a cluster. */
public final class TopicAdmin {

  /** A topic as it stands on the cluster. */
  public record TopicState(
      String name, int partitions, long endOffsetSum, Map<Integer, Long> endOffsets) {}

  private final Admin admin;
  private final Duration timeout;

  public TopicAdmin(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /**
   * Creates every catalogue topic that does not exist yet; existing topics are left as they are.
   *
   * @return the names of the topics created by this call
   */
  public List<String> createMissing(Optional<Short> replicationFactor) {
    List<NewTopic> wanted = Topics.all().stream().map(t -> t.newTopic(replicationFactor)).toList();
    var results = admin.createTopics(wanted).values();
    List<String> created = new ArrayList<>();
    for (var entry : results.entrySet()) {
      try {
        entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        created.add(entry.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "Cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(),
              e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "Creating topic " + entry.getKey() + " took longer than " + timeout, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating topics", e);
      }
    }
    created.sort(Comparator.naturalOrder());
    return created;
  }

  /** The catalogue topics that exist on the cluster, in catalogue order, with their end offsets. */
  public List<TopicState> describe() {
    try {
      var existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<String> names =
          Topics.all().stream().map(Topic::name).filter(existing::contains).toList();
      Map<String, TopicDescription> descriptions =
          admin
              .describeTopics(names)
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      descriptions
          .values()
          .forEach(
              d ->
                  d.partitions()
                      .forEach(
                          p ->
                              latest.put(
                                  new TopicPartition(d.name(), p.partition()),
                                  OffsetSpec.latest())));
      var offsets = admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<TopicState> states = new ArrayList<>();
      for (String name : names) {
        Map<Integer, Long> ends =
            offsets.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(name))
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        long sum = ends.values().stream().mapToLong(Long::longValue).sum();
        states.add(new TopicState(name, descriptions.get(name).partitions().size(), sum, ends));
      }
      return states;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot describe topics: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Describing topics took longer than " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing topics", e);
    }
  }

  /**
   * How many committed records of {@code topic} a consumer group has not yet committed as read: the
   * sum over partitions of the last stable offset minus the group's committed offset (a partition
   * it never committed counts from its start). A group that commits with its checkpoints (Flink's
   * Kafka source) lags by what came in since its last checkpoint, too.
   */
  public long lag(String groupId, String topic) {
    try {
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      description
          .partitions()
          .forEach(
              p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
              });
      var committedOnly =
          new org.apache.kafka.clients.admin.ListOffsetsOptions(
              org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
      var ends =
          admin
              .listOffsets(latest, committedOnly)
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      var starts = admin.listOffsets(earliest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      var read =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long lag = 0;
      for (var end : ends.entrySet()) {
        var committed = read.get(end.getKey());
        long from = committed == null ? starts.get(end.getKey()).offset() : committed.offset();
        lag += Math.max(0, end.getValue().offset() - from);
      }
      return lag;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot read the lag of " + groupId + " on " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Reading a group's lag took longer than " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading a group's lag", e);
    }
  }
}
