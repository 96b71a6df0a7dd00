package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags over WORLDSTREAM_* environment variables over a --config file over defaults. */
class LayeredSettingsTest {

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Worldstream.commandLine(env);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path config(String text) throws Exception {
    return Files.writeString(dir.resolve("worldstream.properties"), text);
  }

  /** The value of --batch-size as the help shows it: the effective default. */
  private static String batchSizeDefault(Run help) {
    List<String> lines = help.out().lines().toList();
    for (int i = 0; i < lines.size() - 1; i++) {
      if (lines.get(i).strip().startsWith("--batch-size")) {
        // The description, and its default, may start on the next line.
        return (lines.get(i) + " " + lines.get(i + 1))
            .replaceAll("(?i).*default: ([0-9]+).*", "$1");
      }
    }
    throw new AssertionError("no --batch-size in\n" + help.out());
  }

  @Test
  void shouldTakeTheFileOverTheDefaultAndTheEnvironmentOverTheFile() throws Exception {
    Path file = config("batch-size=48\n");

    assertThat(batchSizeDefault(run(Map.of(), "encode", "--help"))).isEqualTo("32");
    assertThat(batchSizeDefault(run(Map.of(), "encode", "--config", file.toString(), "--help")))
        .isEqualTo("48");
    assertThat(
            batchSizeDefault(
                run(
                    Map.of("WORLDSTREAM_CONFIG", file.toString(), "WORLDSTREAM_BATCH_SIZE", "64"),
                    "encode",
                    "--help")))
        .isEqualTo("64");
  }

  /** The default of {@code --batch-size} as {@code args --help} shows it. */
  private static String batchSize(Map<String, String> env, String... args) {
    return batchSizeDefault(run(env, args));
  }

  @Test
  void shouldSetOnePartWithAKeyQualifiedByItsCommand() throws Exception {
    Path file = config("encode.batch-size=48\nvae.train.batch-size=8\nbatch-size=16\n");
    String config = file.toString();

    assertThat(batchSize(Map.of(), "encode", "--config", config, "--help")).isEqualTo("48");
    assertThat(batchSize(Map.of(), "vae", "train", "--config", config, "--help")).isEqualTo("8");
    Path unqualified = config("batch-size=16\n");
    assertThat(batchSize(Map.of(), "vae", "train", "--config", unqualified.toString(), "--help"))
        .as("a key without a command sets every command with that flag")
        .isEqualTo("16");

    Map<String, String> env =
        Map.of("WORLDSTREAM_BATCH_SIZE", "24", "WORLDSTREAM_ENCODE_BATCH_SIZE", "40");
    assertThat(batchSize(env, "encode", "--config", config, "--help"))
        .as("the environment over the file, a qualified variable over the flag's name alone")
        .isEqualTo("40");
    assertThat(batchSize(env, "vae", "train", "--config", config, "--help")).isEqualTo("24");

    Run bad = run(Map.of("WORLDSTREAM_ENCODE_BATCH_SIZE", "0"), "encode");
    assertThat(bad.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(bad.err()).contains("environment variable WORLDSTREAM_ENCODE_BATCH_SIZE");
  }

  @Test
  void shouldRefuseAKeyQualifiedByACommandWithoutThatFlag() throws Exception {
    Path file = config("serve.batch-size=16\n");
    Run fromFile = run(Map.of(), "encode", "--config", file.toString());
    assertThat(fromFile.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(fromFile.err()).contains(file + ": unknown setting 'serve.batch-size'");
  }

  @Test
  void shouldTakeAFlagOverTheEnvironment() {
    Run fromEnv = run(Map.of("WORLDSTREAM_BATCH_SIZE", "0"), "encode", "-b", "127.0.0.1:1");
    Run flagWins =
        run(
            Map.of("WORLDSTREAM_BATCH_SIZE", "0"),
            "encode",
            "--batch-size",
            "16",
            "-b",
            "127.0.0.1:1",
            "--connect-timeout",
            "1s");

    assertThat(fromEnv.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(flagWins.err()).doesNotContain("batch size").contains("Cannot reach Kafka");
  }

  @Test
  void shouldSayWhereAnInvalidValueCameFrom() throws Exception {
    Run env = run(Map.of("WORLDSTREAM_BATCH_SIZE", "0"), "encode");
    assertThat(env.err().strip().lines())
        .singleElement()
        .asString()
        .contains("the batch size must be at least 1, not 0")
        .contains("environment variable WORLDSTREAM_BATCH_SIZE");

    Path file = config("max-batch-delay=soon\n");
    Run fromFile = run(Map.of(), "encode", "--config", file.toString());
    assertThat(fromFile.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(fromFile.err().strip().lines())
        .singleElement()
        .asString()
        .contains("'soon' is not a duration")
        .contains("setting 'max-batch-delay' in " + file);
  }

  @Test
  void shouldRefuseASettingNoCommandKnows() throws Exception {
    Path file = config("batch-size=16\nbach-size=32\n");
    Run fromFile = run(Map.of(), "encode", "--config", file.toString());
    assertThat(fromFile.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(fromFile.err().strip().lines())
        .singleElement()
        .asString()
        .contains(file + ": unknown setting 'bach-size'");

    Run fromEnv = run(Map.of("WORLDSTREAM_BACH_SIZE", "16"), "encode");
    assertThat(fromEnv.exitCode()).isEqualTo(Worldstream.USAGE);
    assertThat(fromEnv.err()).contains("unknown setting in the environment: WORLDSTREAM_BACH_SIZE");
  }

  @Test
  void shouldPassKafkaClientSettingsThroughWithFlagsOverEnvironmentOverFile() throws Exception {
    Path file = config("kafka.security.protocol=SSL\nkafka.client.id=from-file\n");
    CommandLine cli = Worldstream.commandLine(Map.of("WORLDSTREAM_KAFKA_CLIENT_ID", "from-env"));
    cli.parseArgs("topics", "list", "--config", file.toString(), "-k", "acks=all");
    KafkaOptions kafka =
        cli.getSubcommands()
                    .get("topics")
                    .getSubcommands()
                    .get("list")
                    .getCommandSpec()
                    .mixins()
                    .get("kafka")
                    .userObject()
                instanceof KafkaOptions k
            ? k
            : null;

    assertThat(kafka).isNotNull();
    assertThat(kafka.settings().client())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("client.id", "from-env")
        .containsEntry("acks", "all");
  }
}
