package io.worldstream.app;

import io.worldstream.app.env.EnvCommand;
import io.worldstream.app.topics.TopicsCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The {@code worldstream} command: one subcommand per service. */
@Command(
    name = "worldstream",
    mixinStandardHelpOptions = true,
    versionProvider = Worldstream.Version.class,
    description = "Learns a world model continuously from live experience on Kafka and Flink.",
    subcommands = {
      BrokerCommand.class,
      TopicsCommand.class,
      WorkerCommand.class,
      EncodeCommand.class,
      io.worldstream.app.vae.VaeCommand.class,
      io.worldstream.app.bench.BenchCommand.class,
      EnvCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Worldstream {

  /** Exit code for a command line that does not parse (picocli's convention). */
  public static final int USAGE = 2;

  /** Exit code for a command that ran and failed. */
  public static final int FAILED = 1;

  public static void main(String[] args) {
    // Frames are drawn off-screen; no display is needed or wanted.
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line with Worldstream's error handling: one line per error, no stack traces. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Worldstream());
    cli.setParameterExceptionHandler(new OneLineUsageError());
    cli.setExecutionExceptionHandler(new OneLineFailure());
    return cli;
  }

  /** A bad flag or argument: say what, and where help is. */
  static final class OneLineUsageError implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cmd = e.getCommandLine();
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
      err.flush();
      return USAGE;
    }
  }

  /** A failure while running: its message on one line; the stack trace only when asked for. */
  static final class OneLineFailure implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
      if (System.getenv("WORLDSTREAM_DEBUG") != null) {
        e.printStackTrace(err);
      } else if (!(e instanceof CommandFailure)) {
        err.println(
            "(unexpected "
                + e.getClass().getSimpleName()
                + "; WORLDSTREAM_DEBUG=1 shows the stack trace)");
      }
      err.flush();
      return e instanceof CommandFailure failure ? failure.exitCode() : FAILED;
    }
  }

  /** Prints the project version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Worldstream.class.getPackage().getImplementationVersion();
      return new String[] {"worldstream " + (version == null ? "development build" : version)};
    }
  }
}
