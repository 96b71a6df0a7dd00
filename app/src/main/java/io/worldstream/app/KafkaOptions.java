package io.worldstream.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka. Client settings beyond the bootstrap servers (security, SASL, TLS)
 * pass through from {@code -k key=value} or from environment variables {@code
 * WORLDSTREAM_KAFKA_<KEY>} with dots written as underscores (WORLDSTREAM_KAFKA_SECURITY_PROTOCOL).
 */
public final class KafkaOptions {

  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
  private static final String ENV_PREFIX = "WORLDSTREAM_KAFKA_";

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,…]",
      defaultValue = "${env:WORLDSTREAM_BOOTSTRAP_SERVERS:-" + DEFAULT_BOOTSTRAP + "}",
      description =
          "Kafka brokers to connect to (default: ${DEFAULT-VALUE}; env WORLDSTREAM_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(
      names = {"-k", "--kafka-config"},
      paramLabel = "KEY=VALUE",
      description = "Extra Kafka client setting, e.g. security.protocol=SSL; repeatable.")
  Map<String, String> extra = new HashMap<>();

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "PT10S",
      converter = DurationConverter.class,
      description = "How long to wait for the brokers before giving up (default: 10s).")
  Duration connectTimeout;

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Client settings common to producers, consumers and admin clients. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith(ENV_PREFIX)) {
                config.put(
                    name.substring(ENV_PREFIX.length()).toLowerCase().replace('_', '.'), value);
              }
            });
    config.putAll(extra);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * An admin client that has answered once, or a {@link CommandFailure} saying the brokers are out
   * of reach.
   */
  public Admin connectedAdmin() {
    Map<String, Object> config = clientConfig();
    int timeoutMs = (int) connectTimeout.toMillis();
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000));
    Admin admin = Admin.create(config);
    try {
      admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
      return admin;
    } catch (TimeoutException | ExecutionException e) {
      admin.close(Duration.ZERO);
      throw unreachable(e);
    } catch (InterruptedException e) {
      admin.close(Duration.ZERO);
      Thread.currentThread().interrupt();
      throw new CommandFailure("Interrupted while connecting to Kafka", e);
    }
  }

  /** The failure to report when the brokers do not answer. */
  public CommandFailure unreachable(Throwable cause) {
    return new CommandFailure(
        "Cannot reach Kafka at "
            + bootstrapServers
            + " within "
            + connectTimeout.toSeconds()
            + " s; start one with './worldstream broker' or pass --bootstrap-servers",
        cause);
  }
}
