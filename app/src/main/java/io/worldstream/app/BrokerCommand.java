package io.worldstream.app;

import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.schemas.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code worldstream broker}: a real single-node Kafka broker in this process, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a single-node Kafka broker in this process until Ctrl-C.",
      "The broker (KRaft) listens on 127.0.0.1 and keeps its data in --data-dir across",
      "restarts; Worldstream's topics are created on it at start."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:WORLDSTREAM_DATA_DIR:-data}/kafka",
      description = "Where the broker keeps its log (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--no-topics",
      negatable = false,
      description = "Do not create the catalogue's topics at start.")
  boolean noTopics;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    if (port < 0 || port > 65_535) {
      throw new CommandFailure(
          "--port must be between 0 and 65535, not " + port, Worldstream.USAGE, null);
    }
    EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(dataDir, port));
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the broker…");
                  out.flush();
                  broker.close();
                  stopped.countDown();
                },
                "broker-shutdown"));

    out.printf(
        "Kafka broker ready on %s in %.1f s (data: %s%s)%n",
        broker.bootstrapServers(),
        broker.startupTime().toMillis() / 1000.0,
        broker.dataDir(),
        broker.formattedDataDir() ? ", new" : "");
    if (!noTopics) {
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        List<String> created =
            new TopicAdmin(admin, Duration.ofSeconds(30)).createMissing(Optional.empty());
        out.println(
            created.isEmpty()
                ? "Topics: all present"
                : "Topics created: " + String.join(", ", created));
      }
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
