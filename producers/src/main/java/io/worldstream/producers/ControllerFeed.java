package io.worldstream.producers;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.TopicFollower;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest controller of one lineage and the checkpoints it can name ({@link FollowedLineage}),
 * kept up to date from {@code wm.controllers} and {@code wm.checkpoints} by a background thread: it
 * reads both topics from the start and then follows them, so a worker picks up a better controller
 * as soon as the evaluator publishes one. Records it cannot decode are logged and skipped.
 */
final class ControllerFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerFeed.class);

  private final String lineage;
  private final FollowedLineage followed = new FollowedLineage(FollowedLineage.DEFAULT_CAPACITY);
  private final TopicFollower<String, byte[]> follower;

  ControllerFeed(Map<String, Object> clientConfig, String lineage) {
    this.lineage = lineage;
    this.follower =
        new TopicFollower<>(
            "controller-feed",
            clientConfig,
            List.of(Topics.CONTROLLERS.name(), Topics.CHECKPOINTS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            this::accept);
  }

  /** The newest controller of the lineage seen so far, or null. */
  ControllerUpdate latest() {
    return followed.latest();
  }

  /**
   * Waits until both topics have been read to the end offsets they had at start, so the first
   * episode can already act with the newest controller.
   *
   * @return whether it caught up within the timeout
   */
  boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower.awaitCaughtUp(timeout);
  }

  /**
   * A checkpoint of the lineage by version, or null if not seen (yet) or older than the newest
   * controller's own.
   */
  Checkpoint checkpoint(long version) {
    return followed.checkpoint(version);
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    if (record.topic().equals(Topics.CHECKPOINTS.name())) {
      if (!lineage.equals(Topics.checkpointLineage(record.key()))) {
        return;
      }
      followed.accept(
          Topics.CHECKPOINTS
              .valueSerde()
              .deserializer()
              .deserialize(record.topic(), record.value()));
      return;
    }
    if (!lineage.equals(record.key())) {
      return;
    }
    ControllerUpdate update =
        Topics.CONTROLLERS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    if (followed.accept(update)) {
      log.info(
          "Controller {} v{} (dream return {}) is now the newest",
          lineage,
          update.getVersion(),
          update.getDreamReturn());
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
