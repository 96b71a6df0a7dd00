package io.worldstream.app;

import io.worldstream.app.env.EnvCommand;
import io.worldstream.app.topics.TopicsCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

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
      TrainCommand.class,
      EvaluateCommand.class,
      UpCommand.class,
      ServeCommand.class,
      DreamCommand.class,
      io.worldstream.app.checkpoints.CheckpointsCommand.class,
      io.worldstream.app.vae.VaeCommand.class,
      io.worldstream.app.bench.BenchCommand.class,
      EnvCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Worldstream {

  @Option(
      names = LayeredSettings.CONFIG_OPTION,
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Settings file (properties: the command and the flag as the key, encode.batch-size=64;"
              + " a flag's name alone sets every command with it; kafka.* for Kafka client"
              + " settings); flags and WORLDSTREAM_* environment variables"
              + " (WORLDSTREAM_ENCODE_BATCH_SIZE) override it.")
  Path config;

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
    return commandLine(System.getenv());
  }

  /** The command line reading its settings from {@code env} rather than this process's. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new Worldstream());
    LayeredSettings settings = new LayeredSettings(env);
    cli.setDefaultValueProvider(settings);
    cli.setParameterExceptionHandler(new OneLineUsageError(settings));
    cli.setExecutionExceptionHandler(new OneLineFailure());
    HelpLayout.apply(cli);
    return cli;
  }

  /** A bad flag or argument: say what, and where help is. */
  static final class OneLineUsageError implements IParameterExceptionHandler {
    private final LayeredSettings settings;

    OneLineUsageError(LayeredSettings settings) {
      this.settings = settings;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cmd = e.getCommandLine();
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      String source =
          Optional.ofNullable(e.getArgSpec())
              .flatMap(settings::sourceOf)
              .map(s -> " (from the " + s + ")")
              .orElse("");
      err.println(name + ": " + e.getMessage() + source + " (see '" + name + " --help')");
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
