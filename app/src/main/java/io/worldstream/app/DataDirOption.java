package io.worldstream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where every part keeps what it must keep across restarts, each in a directory of its own. */
public final class DataDirOption {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Worldstream's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  /**
   * The data directory, created if absent.
   *
   * @throws CommandFailure a usage error when it cannot be created or written
   */
  public Path dataDir() {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw unusable("it cannot be created (" + e + ")", e);
    }
    if (!Files.isWritable(dataDir)) {
      throw unusable("it is not writable", null);
    }
    return dataDir;
  }

  private CommandFailure unusable(String why, Exception cause) {
    return new CommandFailure(
        "Cannot use " + dataDir + " as the data directory (--data-dir): " + why,
        Worldstream.USAGE,
        cause);
  }
}
