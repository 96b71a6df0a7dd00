package io.worldstream.broker;

import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * its log kept under a data directory so that a restart on the same directory keeps every record
 * and committed offset. It listens on 127.0.0.1 only. Used by {@code worldstream broker}, {@code
 * worldstream up} and the integration tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  /**
   * Where and how the broker runs.
   *
   * @param dataDir the log directory; formatted on first use
   * @param port the client port, or 0 for any free port
   */
  public record Settings(Path dataDir, int port) {
    public static final Path DEFAULT_DATA_DIR = Path.of("data", "kafka");
    public static final int DEFAULT_PORT = 9092;

    public static Settings defaults() {
      return new Settings(DEFAULT_DATA_DIR, DEFAULT_PORT);
    }
  }

  /**
   * Flink's exactly-once Kafka sink keeps a transaction open between its checkpoints; its default
   * transaction timeout is one hour, and the broker must allow at least that.
   */
  public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofHours(2);

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final Duration startupTime;
  private final boolean formatted;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server,
      String bootstrapServers,
      Path dataDir,
      Duration startupTime,
      boolean formatted) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.startupTime = startupTime;
    this.formatted = formatted;
  }

  /**
   * Formats {@code settings.dataDir()} if it is new, starts the broker and waits until it serves.
   */
  public static EmbeddedKafkaBroker start(Settings settings) {
    long started = System.nanoTime();
    Path dataDir = settings.dataDir().toAbsolutePath().normalize();
    int port;
    int controllerPort;
    if (settings.port() == 0) {
      int[] ports = freePorts(2);
      port = ports[0];
      controllerPort = ports[1];
    } else {
      port = requireFree(settings.port());
      do {
        controllerPort = freePorts(1)[0];
      } while (controllerPort == port);
    }
    KafkaConfig config = new KafkaConfig(brokerProperties(dataDir, port, controllerPort), false);

    boolean formatted = formatIfNew(config, dataDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
      String bootstrap = HOST + ":" + port;
      awaitServing(bootstrap, Duration.ofSeconds(60));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      log.info(
          "Kafka broker serving on {} (data in {}{}) after {} ms",
          bootstrap,
          dataDir,
          formatted ? ", newly formatted" : "",
          took.toMillis());
      return new EmbeddedKafkaBroker(server, bootstrap, dataDir, took, formatted);
    } catch (RuntimeException e) {
      shutdown(server);
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** From the call to {@link #start} until the broker answered a client. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Whether this start formatted a new data directory (false: it reopened an existing one). */
  public boolean formattedDataDir() {
    return formatted;
  }

  /** Stops the broker cleanly, flushing its log; the data directory stays for the next start. */
  @Override
  public void close() {
    shutdown(server);
    log.info("Kafka broker on {} stopped", bootstrapServers);
  }

  private static void shutdown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + HOST
                    + ":"
                    + port
                    + ","
                    + CONTROLLER_LISTENER
                    + "://"
                    + HOST
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port),
            Map.entry(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("log.dirs", dataDir.toString()),
            // One node: every internal topic has one replica, and few partitions keep start-up
            // quick.
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("num.partitions", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry(
                "transaction.max.timeout.ms", String.valueOf(MAX_TRANSACTION_TIMEOUT.toMillis())),
            // A process that died mid-transaction blocks read_committed readers until its
            // transaction times out and is aborted; look for such transactions every second
            // rather than every ten.
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
            // Topics come from the catalogue (worldstream topics create); a typo must not create
            // one.
            Map.entry("auto.create.topics.enable", "false"),
            // Model records (checkpoints, a VAE) reach tens of MB; topics raise their own limit.
            Map.entry("message.max.bytes", String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES)),
            Map.entry("replica.fetch.max.bytes", String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES)),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4"),
            Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024))));
    return p;
  }

  /**
   * Formats the log directory as {@code kafka-storage format} would, unless it already holds a
   * cluster. Transactions use protocol version 1: with version 2 (Kafka 4.2's default) Flink's
   * Kafka connector 5.0 re-commits an already committed transaction on restore and logs a false
   * data-loss error. External clusters need the same ({@code --feature transaction.version=1}).
   */
  private static boolean formatIfNew(KafkaConfig config, Path dataDir) {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return false;
    }
    try {
      Files.createDirectories(dataDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDir.toString())
          .setDirectories(List.of(dataDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setFeatureLevel("transaction.version", (short) 1)
          .run();
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot format Kafka data directory " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void awaitServing(String bootstrap, Duration timeout) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(config)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka broker on " + bootstrap + " did not start within " + timeout, e);
          }
        }
        sleep(Duration.ofMillis(50));
      }
    }
  }

  private static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port "
              + port
              + " on "
              + HOST
              + " is taken (is another broker running?); choose another port",
          e);
    }
  }

  /**
   * A port free on the broker's host now, for a process that must name its broker's port before the
   * broker starts (as {@code up} does, to hand it to the parts it composes).
   */
  public static int freePort() {
    return freePorts(1)[0];
  }

  /**
   * Ports free now, all different: the sockets stay open until every port is picked, or the system
   * could hand the same one out twice (and two listeners on one port fail the broker's start).
   */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new java.util.ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        socket.setReuseAddress(true);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing a listening socket we opened; nothing to do
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }
}
