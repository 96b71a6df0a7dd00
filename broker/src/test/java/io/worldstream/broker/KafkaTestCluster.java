package io.worldstream.broker;

import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka broker integration tests run against: a Testcontainers broker when a Docker engine is
 * available, the in-process {@link EmbeddedKafkaBroker} otherwise. The system property {@code
 * worldstream.test.kafka} (auto, embedded, testcontainers) forces a choice.
 */
public interface KafkaTestCluster extends AutoCloseable {

  String bootstrapServers();

  /** Whether {@link #restart()} stops the broker and starts it again on the same data. */
  boolean canRestart();

  /** Stops the broker cleanly and starts it again on the same data directory. */
  void restart();

  @Override
  void close();

  /**
   * Starts the cluster the environment calls for; embedded brokers keep their data in {@code
   * dataDir}.
   */
  static KafkaTestCluster start(Path dataDir) {
    String choice = System.getProperty("worldstream.test.kafka", "auto").toLowerCase(Locale.ROOT);
    boolean containers =
        switch (choice) {
          case "embedded" -> false;
          case "testcontainers" -> true;
          case "auto" -> DockerClientFactory.instance().isDockerAvailable();
          default ->
              throw new IllegalArgumentException(
                  "worldstream.test.kafka must be auto, embedded or testcontainers, not " + choice);
        };
    Logger log = LoggerFactory.getLogger(KafkaTestCluster.class);
    if (containers) {
      log.info("Integration tests use a Testcontainers Kafka broker");
      return new Containerised();
    }
    log.info("Integration tests use the in-process Kafka broker (no Docker engine, or forced)");
    return new Embedded(dataDir);
  }

  /** The in-process broker, whatever the environment: for tests that stop and restart it. */
  static Embedded embedded(Path dataDir) {
    return new Embedded(dataDir);
  }

  /** The in-process broker. */
  final class Embedded implements KafkaTestCluster {
    private final Path dataDir;
    private EmbeddedKafkaBroker broker;
    private int port;

    Embedded(Path dataDir) {
      this.dataDir = dataDir;
      this.broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(dataDir, 0));
      this.port = Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", ""));
    }

    public EmbeddedKafkaBroker broker() {
      return broker;
    }

    @Override
    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    @Override
    public boolean canRestart() {
      return true;
    }

    /** Restarts on the same port, so clients created before the restart reconnect to it. */
    @Override
    public void restart() {
      stopBroker();
      startBroker();
    }

    /** Stops the broker cleanly; clients keep retrying until {@link #startBroker()}. */
    public void stopBroker() {
      broker.close();
    }

    /** Starts the broker again on the same data directory and port. */
    public void startBroker() {
      broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(dataDir, port));
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  /** A broker in a container; its data lives and dies with the container. */
  final class Containerised implements KafkaTestCluster {
    private final KafkaContainer container = new KafkaContainer("apache/kafka:4.2.1");

    Containerised() {
      container.start();
    }

    @Override
    public String bootstrapServers() {
      return container.getBootstrapServers();
    }

    @Override
    public boolean canRestart() {
      // A restarted container maps a new host port that the broker does not advertise.
      return false;
    }

    @Override
    public void restart() {
      throw new UnsupportedOperationException(
          "A Testcontainers broker cannot be restarted in place");
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
