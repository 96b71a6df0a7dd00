package io.worldstream.serving.registry;

import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.Topics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thins checkpoint models on {@code wm.checkpoints} by a {@link ModelThinning} rule, from what the
 * registry knows: every so often it publishes the metadata of each version the rule drops again,
 * without the model, under the version's key, and compaction then keeps only that. Publishing the
 * same version twice (two servers, or a restart before the registry read its own record back) does
 * no harm: compaction keeps one. A failed pass is logged and tried again at the next.
 */
public final class ModelThinner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelThinner.class);

  private final CheckpointRegistry registry;
  private final ModelThinning rule;
  private final KafkaProducer<String, Checkpoint> producer;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "model-thinner");
            thread.setDaemon(true);
            return thread;
          });

  /** Versions published thinned that the registry has not read back yet. */
  private final Set<String> sent = new HashSet<>();

  public ModelThinner(
      CheckpointRegistry registry, Map<String, Object> clientConfig, ModelThinning rule) {
    this.registry = registry;
    this.rule = rule;
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer =
        new KafkaProducer<>(
            config,
            Topics.CHECKPOINTS.keySerde().serializer(),
            Topics.CHECKPOINTS.valueSerde().serializer());
  }

  /** Thins now and then every {@link ModelThinning#every}. */
  public void start() {
    long period = rule.every().toMillis();
    schedule.scheduleWithFixedDelay(this::passLogged, 0, period, TimeUnit.MILLISECONDS);
  }

  private void passLogged() {
    try {
      pass();
    } catch (RuntimeException e) {
      log.warn("Thinning checkpoint models failed; trying again in {}", rule.every(), e);
    }
  }

  /**
   * One pass: publishes every version the rule drops now, and waits until the broker has them.
   *
   * @return how many versions it thinned
   * @throws IllegalStateException if the broker did not take them (the next pass tries again)
   */
  public synchronized int pass() {
    List<CheckpointEntry> due = registry.toThin(rule);
    Map<String, Future<RecordMetadata>> published = new LinkedHashMap<>();
    Set<String> dueKeys = new HashSet<>();
    for (CheckpointEntry entry : due) {
      String key = Topics.checkpointKey(entry.lineage(), entry.version());
      dueKeys.add(key);
      if (sent.add(key)) {
        published.put(
            key,
            producer.send(
                new ProducerRecord<>(
                    Topics.CHECKPOINTS.name(), key, entry.thinnedRecord(rule.reason()))));
      }
    }
    sent.retainAll(dueKeys); // the rest the registry has read back as thinned
    producer.flush();
    for (var sending : published.entrySet()) {
      try {
        sending.getValue().get();
      } catch (ExecutionException e) {
        sent.removeAll(published.keySet());
        throw new IllegalStateException(
            "could not publish thinned checkpoint " + sending.getKey(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sent.removeAll(published.keySet());
        return 0;
      }
    }
    if (!published.isEmpty()) {
      log.info("Thinned {} older checkpoint model(s) of {}", published.size(), lineages(due));
    }
    return published.size();
  }

  private static String lineages(List<CheckpointEntry> entries) {
    return String.join(
        ", ", entries.stream().map(CheckpointEntry::lineage).distinct().sorted().toList());
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}
