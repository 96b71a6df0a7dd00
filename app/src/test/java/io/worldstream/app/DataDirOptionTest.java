package io.worldstream.app;

import static io.worldstream.app.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirOptionTest {

  @TempDir Path dir;

  @Test
  void shouldRefuseADataDirectoryThatCannotBeCreatedBeforeStartingAnything() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path under = file.resolve("data");
    for (String command : new String[] {"up", "train", "encode"}) {
      String[] result =
          command.equals("up")
              ? run(command, "--data-dir", under.toString())
              : run(command, "--data-dir", under.toString(), "-b", "127.0.0.1:1");
      assertThat(result[0]).as(command).isEqualTo("2");
      assertThat(result[1])
          .as(command)
          .contains("Cannot use " + under + " as the data directory (--data-dir)");
    }
  }
}
