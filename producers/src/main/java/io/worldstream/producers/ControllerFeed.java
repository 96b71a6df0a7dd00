package io.worldstream.producers;

import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest controller of one lineage, kept up to date from {@code wm.controllers} by a background
 * thread: it reads the topic from the start (it is small) and then follows it, so a worker picks up
 * a better controller as soon as the evaluator publishes one.
 */
final class ControllerFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerFeed.class);

  private final String lineage;
  private final KafkaConsumer<String, ControllerUpdate> consumer;
  private final AtomicReference<ControllerUpdate> latest = new AtomicReference<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  ControllerFeed(Map<String, Object> clientConfig, String lineage) {
    this.lineage = lineage;
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            config,
            Topics.CONTROLLERS.keySerde().deserializer(),
            Topics.CONTROLLERS.valueSerde().deserializer());
    this.thread = new Thread(this::follow, "controller-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** The newest controller of the lineage seen so far, or null. */
  ControllerUpdate latest() {
    return latest.get();
  }

  private void follow() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CONTROLLERS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running.get()) {
        for (ConsumerRecord<String, ControllerUpdate> record :
            consumer.poll(Duration.ofMillis(500))) {
          ControllerUpdate update = record.value();
          if (update != null && lineage.equals(update.getLineage())) {
            ControllerUpdate previous = latest.get();
            if (previous == null || update.getVersion() > previous.getVersion()) {
              latest.set(update);
              log.info(
                  "Controller {} v{} (dream return {}) is now the newest",
                  lineage,
                  update.getVersion(),
                  update.getDreamReturn());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.warn("Stopped following {}: {}", Topics.CONTROLLERS.name(), e.getMessage());
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
