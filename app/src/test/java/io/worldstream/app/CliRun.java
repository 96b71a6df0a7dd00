package io.worldstream.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code worldstream} command line in this JVM, as the command tests do. */
final class CliRun {

  private CliRun() {}

  /** The exit code and what the command wrote to stderr; what it wrote to stdout is dropped. */
  static String[] run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Worldstream.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return new String[] {String.valueOf(cli.execute(args)), err.toString()};
  }
}
