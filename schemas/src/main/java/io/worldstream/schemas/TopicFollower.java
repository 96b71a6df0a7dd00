package io.worldstream.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows whole topics on a background thread: a {@link TopicReader} from the beginning (or the
 * end), every record handed to one handler as it arrives, until closed. Says when it has caught up
 * with what the topics held at start, and why it stopped if it did. A record the handler throws on
 * is logged and skipped; a failure of the reader itself stops the thread and is kept ({@link
 * #failure}). How a registry, a worker's controller feed and the evaluator's dream inputs stay
 * current.
 */
public final class TopicFollower<K, V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  private final String name;
  private final TopicReader<K, V> reader;
  private final Consumer<ConsumerRecord<K, V>> handler;
  private final Thread thread;
  private final CountDownLatch settled = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean caughtUp;
  private volatile Throwable failure;

  /**
   * Starts following at once.
   *
   * @param name the thread's name, and how the logs name this follower
   * @param handler called on the follower's thread, one record at a time, in each partition's order
   * @throws IllegalStateException if a topic does not exist
   */
  public TopicFollower(
      String name,
      Map<String, Object> clientConfig,
      Collection<String> topics,
      TopicReader.From from,
      Deserializer<K> keys,
      Deserializer<V> values,
      Consumer<ConsumerRecord<K, V>> handler) {
    this.name = name;
    this.handler = handler;
    this.reader = new TopicReader<>(clientConfig, topics, from, keys, values);
    this.thread = new Thread(this::follow, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether every record the topics held when following began has been handled. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Waits until {@link #caughtUp}.
   *
   * @return false if the time ran out first
   * @throws IllegalStateException if following stopped before it caught up
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (!caughtUp && failure != null) {
      throw new IllegalStateException(name + " stopped reading: " + failure.getMessage(), failure);
    }
    return caughtUp;
  }

  /** Why following stopped, if it did other than by {@link #close}. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void follow() {
    try {
      while (running) {
        for (ConsumerRecord<K, V> record : reader.poll(Duration.ofMillis(500))) {
          try {
            handler.accept(record);
          } catch (RuntimeException e) {
            log.warn(
                "{}: skipping {}-{}@{}: {}",
                name,
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
          }
        }
        if (!caughtUp && reader.caughtUp()) {
          caughtUp = true;
          settled.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      log.warn("{} stopped reading: {}", name, e.toString());
    } finally {
      settled.countDown();
      reader.close();
    }
  }

  /** Stops following and waits (up to 5 s) for the thread to finish. */
  @Override
  public void close() {
    running = false;
    reader.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
