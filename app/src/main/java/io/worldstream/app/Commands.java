package io.worldstream.app;

import io.worldstream.service.InvalidSettingException;
import io.worldstream.service.Service;
import io.worldstream.service.ServiceRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What every command does: options → settings → service → run. */
public final class Commands {

  private Commands() {}

  /**
   * Builds a service's settings from a command's options; a setting the service refuses becomes a
   * usage error that says where the value came from when it was not a flag.
   */
  public static <T> T settings(CommandSpec command, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidSettingException e) {
      String source =
          Optional.ofNullable(command.findOption("--" + e.setting()))
              .flatMap(option -> sourceOf(command, option))
              .map(s -> " (from the " + s + ")")
              .orElse("");
      throw new CommandFailure(e.getMessage() + source, Worldstream.USAGE, e);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), Worldstream.USAGE, e);
    }
  }

  private static Optional<String> sourceOf(CommandSpec command, OptionSpec option) {
    return command.commandLine().getDefaultValueProvider() instanceof LayeredSettings layered
        ? layered.sourceOf(option)
        : Optional.empty();
  }

  /**
   * Makes a service; what it refuses before it starts (a model that won't load) fails the command
   * with its message.
   */
  public static <T> T create(Supplier<T> service) {
    try {
      return service.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
  }

  /** Where a service's progress lines go: the command's output, a line at a time. */
  public static Consumer<String> console(CommandSpec command) {
    PrintWriter out = command.commandLine().getOut();
    return line -> {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    };
  }

  /** Runs services until Ctrl-C, a failure or their end; the command's exit status. */
  public static int run(CommandSpec command, Service... services) {
    var cli = command.commandLine();
    return new ServiceRunner(List.of(services), cli.getOut(), cli.getErr()).run();
  }
}
