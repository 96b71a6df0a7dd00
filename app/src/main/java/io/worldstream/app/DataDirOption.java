package io.worldstream.app;

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

  public Path dataDir() {
    return dataDir;
  }
}
