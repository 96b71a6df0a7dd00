package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml stays in step with the commands: every Worldstream service's command line and
 * environment parse as `worldstream` parses them. (The file's own syntax is checked by
 * docker-compose in CI.)
 */
class DockerComposeTest {

  @SuppressWarnings("unchecked")
  @Test
  void runsOnlyCommandsAndFlagsThatExist() throws Exception {
    Map<String, Object> compose;
    try (Reader in = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
      compose = new Yaml().load(in);
    }
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    int checked = 0;
    for (var service : services.entrySet()) {
      Map<String, Object> definition = service.getValue();
      if (!"worldstream:latest".equals(definition.get("image"))) {
        continue;
      }
      List<String> command = (List<String>) definition.get("command");
      Map<String, String> environment = (Map<String, String>) definition.get("environment");
      CommandLine cli = Worldstream.commandLine(environment);
      assertThatCode(() -> cli.parseArgs(command.toArray(String[]::new)))
          .as("%s: worldstream %s", service.getKey(), String.join(" ", command))
          .doesNotThrowAnyException();
      CommandLine.ParseResult parsed = cli.parseArgs(command.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as(service.getKey()).isTrue();
      assertThat(parsed.subcommand().commandSpec().findOption("--bootstrap-servers"))
          .as("%s talks to the cluster's brokers", service.getKey())
          .isNotNull();
      checked++;
    }
    assertThat(checked).as("Worldstream services in the file").isGreaterThanOrEqualTo(6);
  }

  @SuppressWarnings("unchecked")
  @Test
  void publishesPortsOnLoopbackOnlyAndTakesNoJobsThroughFlinksWebUi() throws Exception {
    Map<String, Object> compose;
    try (Reader in = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
      compose = new Yaml().load(in);
    }
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    int published = 0;
    for (var service : services.entrySet()) {
      for (Object port : (List<Object>) service.getValue().getOrDefault("ports", List.of())) {
        assertThat(String.valueOf(port))
            .as("%s publishes %s", service.getKey(), port)
            .startsWith("127.0.0.1:");
        published++;
      }
    }
    assertThat(published).as("ports published (the dashboard's, Flink's web UI)").isEqualTo(2);
    String flink =
        ((Map<String, String>) services.get("flink-jobmanager").get("environment"))
            .get("FLINK_PROPERTIES");
    assertThat(flink)
        .as("anyone reaching Flink's REST port could upload and run a jar")
        .contains("web.submit.enable: false")
        .contains("web.cancel.enable: false");
  }
}
