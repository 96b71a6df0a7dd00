package io.worldstream.broker;

import io.worldstream.schemas.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One node (broker and controller) of a multi-node KRaft cluster on 127.0.0.1, as a process of its
 * own, for tests that kill a broker: {@code KafkaClusterNode NODE_ID CLUSTER_ID DATA_DIR PORT
 * CONTROLLER_PORT VOTERS}, VOTERS as {@code 1@127.0.0.1:9093,2@…}. Topics are replicated three
 * times, and a write needs two replicas; transactions use protocol version 1 as Flink's sink wants.
 */
public final class KafkaClusterNode {

  private KafkaClusterNode() {}

  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    String clusterId = args[1];
    Path dataDir = Path.of(args[2]).toAbsolutePath();
    int port = Integer.parseInt(args[3]);
    int controllerPort = Integer.parseInt(args[4]);
    String voters = args[5];
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put(
        "transaction.max.timeout.ms",
        String.valueOf(EmbeddedKafkaBroker.MAX_TRANSACTION_TIMEOUT.toMillis()));
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    KafkaConfig config = new KafkaConfig(p, false);
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      Files.createDirectories(dataDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(dataDir.toString())
          .setDirectories(List.of(dataDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setFeatureLevel("transaction.version", (short) 1)
          .run();
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  server.awaitShutdown();
                }));
    server.startup();
    System.out.println("node " + nodeId + " serving on 127.0.0.1:" + port);
    server.awaitShutdown();
  }
}
