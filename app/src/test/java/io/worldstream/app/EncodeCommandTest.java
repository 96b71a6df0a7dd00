package io.worldstream.app;

import static io.worldstream.app.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeCommandTest {

  @TempDir Path dir;

  @Test
  void shouldRefuseImpossibleBatchingWithOneLine() {
    String[] result = run("encode", "--batch-size", "0");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1].strip().lines())
        .singleElement()
        .asString()
        .contains("the batch size must be at least 1");
    assertThat(run("encode", "--max-batch-delay", "0s")[1])
        .contains("batch delay must be positive");
  }

  @Test
  void shouldRefuseAFileThatIsNotAVaeEncoderBeforeConnecting() throws Exception {
    Path notOnnx = Files.writeString(dir.resolve("encoder.onnx"), "not a model");
    String[] result = run("encode", "--vae", dir.toString(), "-b", "127.0.0.1:1");
    assertThat(result[0]).isEqualTo("1");
    assertThat(result[1]).contains("Cannot use " + notOnnx + " as the VAE encoder");
    assertThat(run("encode", "--vae", dir.resolve("missing.onnx").toString())[1])
        .contains("Cannot read the VAE encoder");
  }

  @Test
  void shouldNotStartWithoutABroker() {
    String[] result = run("encode", "-b", "127.0.0.1:1", "--connect-timeout", "1s");
    assertThat(result[0]).isEqualTo("1");
    assertThat(result[1]).contains("Cannot reach Kafka at 127.0.0.1:1");
  }
}
