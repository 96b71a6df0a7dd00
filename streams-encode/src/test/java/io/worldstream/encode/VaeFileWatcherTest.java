package io.worldstream.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.models.ModelInService;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeFileWatcherTest {

  @TempDir Path dir;

  @Test
  void shouldPutAReplacedFileInServiceAndKeepTheOldModelWhenTheNewFileIsBroken() throws Exception {
    Path file = dir.resolve("encoder.onnx");
    Files.write(file, DefaultVae.encoder());
    try (ModelInService<VaeEncoder> vae =
        VaeEncoder.inService(Files.readAllBytes(file), file.toString(), 1)) {
      VaeFileWatcher watcher = new VaeFileWatcher(file, vae);
      String first = vae.version();

      watcher.run();
      assertThat(vae.version()).as("unchanged file").isEqualTo(first);

      replace(file, "half a model".getBytes(), 1);
      watcher.run();
      assertThat(vae.version()).as("a broken file is refused").isEqualTo(first);

      byte[] other =
          VaeGraphs.encoder(
              RandomWeights.gaussian(VaeSpec.weightShapes(), 5, (name, shape) -> 0.02),
              "retrained");
      replace(file, other, 2);
      watcher.run();
      assertThat(vae.version()).isEqualTo(ModelVersion.of(other));
    }
  }

  /** Writes elsewhere and moves into place, as the watcher's documentation asks. */
  private void replace(Path file, byte[] bytes, int second) throws Exception {
    Path staged = Files.write(dir.resolve("staged.onnx"), bytes);
    Files.setLastModifiedTime(
        staged, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + second)));
    Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
