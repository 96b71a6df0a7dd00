package io.worldstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectiveConfigurationTest {

  record Batching(int maxFrames, Duration maxDelay) {}

  record Settings(
      String applicationId, Batching batching, Optional<Path> vaeFile, Map<String, Object> kafka) {}

  @Test
  void shouldNameSettingsAsFlagsAndListNestedOnesAsTheirOwn() {
    var settings =
        new Settings(
            "encode",
            new Batching(32, Duration.ofMillis(10)),
            Optional.empty(),
            Map.of("bootstrap.servers", "127.0.0.1:9092", "ssl.key.password", "s3cret"));

    assertThat(EffectiveConfiguration.lines("encoder", EffectiveConfiguration.of(settings)))
        .containsExactly(
            "encoder settings:",
            "  application-id = encode",
            "  max-frames = 32",
            "  max-delay = 10ms",
            "  vae-file = (none)",
            "  kafka.bootstrap.servers = 127.0.0.1:9092",
            "  kafka.ssl.key.password = " + EffectiveConfiguration.MASK);
  }

  @Test
  void shouldWriteDurationsAsTheCommandLineReadsThem() {
    assertThat(EffectiveConfiguration.duration(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(EffectiveConfiguration.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(EffectiveConfiguration.duration(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(EffectiveConfiguration.duration(Duration.ZERO)).isEqualTo("0ms");
  }
}
