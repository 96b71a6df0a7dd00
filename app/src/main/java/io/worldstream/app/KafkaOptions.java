package io.worldstream.app;

import io.worldstream.schemas.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command reaches Kafka, as {@link KafkaSettings}. Client settings beyond the bootstrap
 * servers (security, SASL, TLS) pass through from {@code -k key=value}, from environment variables
 * {@code WORLDSTREAM_KAFKA_<KEY>} with dots written as underscores
 * (WORLDSTREAM_KAFKA_SECURITY_PROTOCOL), or from {@code kafka.<key>} in the {@code --config} file,
 * in that order of precedence.
 */
public final class KafkaOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,…]",
      defaultValue = KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS,
      description = "Kafka brokers to connect to (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = {"-k", "--kafka-config"},
      paramLabel = "KEY=VALUE",
      description = "Extra Kafka client setting, e.g. security.protocol=SSL; repeatable.")
  Map<String, String> extra = new HashMap<>();

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the brokers before giving up (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  public KafkaSettings settings() {
    Map<String, Object> client = new LinkedHashMap<>();
    if (command.commandLine().getDefaultValueProvider() instanceof LayeredSettings layered) {
      client.putAll(layered.kafkaClientSettings(command));
    }
    client.putAll(extra);
    return Commands.settings(
        command, () -> new KafkaSettings(bootstrapServers, client, connectTimeout));
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Client settings common to producers, consumers and admin clients. */
  public Map<String, Object> clientConfig() {
    return settings().clientConfig();
  }

  /**
   * An admin client that has answered once, or a {@link CommandFailure} saying the brokers are out
   * of reach.
   */
  public Admin connectedAdmin() {
    try {
      return settings().connectedAdmin();
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e.getCause());
    }
  }
}
