package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataDirOptionTest {

  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Worldstream.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return new String[] {String.valueOf(cli.execute(args)), err.toString()};
  }

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
