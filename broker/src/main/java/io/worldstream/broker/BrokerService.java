package io.worldstream.broker;

import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.service.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The embedded broker as a service: starts it on its data directory and creates the topics. */
public final class BrokerService implements Service {

  /**
   * @param dataDir Worldstream's data directory; the broker keeps its log in {@code kafka/} under
   *     it
   * @param port the client port on 127.0.0.1, or 0 for any free port
   * @param createTopics whether to create the catalogue's missing topics at start
   */
  public record Settings(Path dataDir, int port, boolean createTopics) {
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    public static final int DEFAULT_PORT = 9092;

    public Settings {
      if (port < 0 || port > 65_535) {
        throw new InvalidSettingException(
            "port", "the broker's port must be between 0 and 65535, not " + port);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_DATA_DIR, DEFAULT_PORT, true);
    }

    public Path logDir() {
      return dataDir.resolve("kafka");
    }
  }

  private final Settings settings;
  private final Consumer<String> say;
  private volatile EmbeddedKafkaBroker broker;

  public BrokerService(Settings settings, Consumer<String> say) {
    this.settings = settings;
    this.say = say;
  }

  @Override
  public String name() {
    return "broker";
  }

  @Override
  public void start() {
    EmbeddedKafkaBroker started =
        EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Settings(settings.logDir(), settings.port()));
    broker = started;
    say.accept(
        String.format(
            "Kafka broker ready on %s in %.1f s (data: %s%s)",
            started.bootstrapServers(),
            started.startupTime().toMillis() / 1000.0,
            started.dataDir(),
            started.formattedDataDir() ? ", new" : ""));
    if (settings.createTopics()) {
      List<String> created = kafka().createMissingTopics();
      say.accept(
          created.isEmpty()
              ? "Topics: all present"
              : "Topics created: " + String.join(", ", created));
    }
  }

  /** How clients reach this broker once it has started. */
  public KafkaSettings kafka() {
    EmbeddedKafkaBroker started = broker;
    if (started == null) {
      throw new IllegalStateException("the broker has not started");
    }
    return KafkaSettings.at(started.bootstrapServers());
  }

  @Override
  public boolean isReady() {
    return broker != null;
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.empty();
  }

  @Override
  public void stop(Duration timeout) {
    EmbeddedKafkaBroker started = broker;
    if (started != null) {
      started.close();
    }
  }

  @Override
  public Map<String, ?> configuration() {
    return EffectiveConfiguration.of(settings);
  }
}
