package io.worldstream.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * How a service reaches Kafka: the brokers, any further client settings (security, SASL, TLS) that
 * every producer, consumer and admin client of the service gets, and how long to wait for the
 * brokers at start.
 */
public record KafkaSettings(
    String bootstrapServers, Map<String, Object> client, Duration connectTimeout) {

  public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka's bootstrap servers are not set");
    }
    client = Map.copyOf(client);
  }

  public static KafkaSettings at(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of(), DEFAULT_CONNECT_TIMEOUT);
  }

  /**
   * Settings from a client configuration that names its {@code bootstrap.servers} among the rest
   * (as tests and benchmarks build them).
   */
  public static KafkaSettings from(Map<String, Object> clientConfig) {
    Map<String, Object> client = new LinkedHashMap<>(clientConfig);
    Object servers = client.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null) {
      throw new IllegalArgumentException("the client configuration names no bootstrap.servers");
    }
    return new KafkaSettings(String.valueOf(servers), client, DEFAULT_CONNECT_TIMEOUT);
  }

  /** Client settings common to producers, consumers and admin clients. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>(client);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * An admin client that has answered once.
   *
   * @throws IllegalStateException saying the brokers are out of reach
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
      throw new IllegalStateException(
          "Cannot reach Kafka at "
              + bootstrapServers
              + " within "
              + connectTimeout.toSeconds()
              + " s; is a broker running there? ('worldstream broker' runs one)",
          e);
    } catch (InterruptedException e) {
      admin.close(Duration.ZERO);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while connecting to Kafka", e);
    }
  }

  /** Connects and creates the catalogue's topics that are missing; returns those it created. */
  public java.util.List<String> createMissingTopics() {
    try (Admin admin = connectedAdmin()) {
      return new TopicAdmin(admin, connectTimeout).createMissing(Optional.empty());
    }
  }
}
