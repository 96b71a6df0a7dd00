package io.worldstream.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The settings of a part of the loop (encode, train, evaluate, serve, worker) as that part's own
 * command builds them, for a command that runs the whole loop ({@code up}, {@code bench learn}): a
 * key for the part ({@code train.learning-rate} in the settings file, {@code
 * WORLDSTREAM_ENCODE_BATCH_SIZE}) sets it in the loop as it does when the part runs alone. Where
 * the loop's command has a flag of the same name ({@code --envs}, {@code --population}, {@code
 * --sequence-length}, …), its value is the part's: given as a flag or a key of the loop's command,
 * it wins over the part's key; left at the loop's default, it is the part's default, below the
 * part's key. Where the loop runs a part differently from that part's command by default (quieter
 * progress lines, workers that act with the newest controller), that is the part's default too.
 */
final class PartSettings {

  /** The loop's options that are never a part's: the loop sets them for its parts itself. */
  private static final Set<String> NOT_SHARED =
      Set.of("--data-dir", "--http-port", LayeredSettings.CONFIG_OPTION);

  private PartSettings() {}

  /**
   * The part {@code part}'s settings in the loop that {@code loop} runs.
   *
   * @param loop the command that runs the loop, already parsed
   * @param part the part's command, a subcommand of {@code worldstream}
   * @param fixed the part's flags (without dashes) that the loop sets whatever the keys say: its
   *     data directory, its HTTP port
   * @param loopDefaults the part's flags that the loop runs with another default
   * @param settings builds the settings from the part's command once its options are set
   */
  static <C, T> T of(
      CommandSpec loop,
      String part,
      Map<String, String> fixed,
      Map<String, String> loopDefaults,
      Function<C, T> settings) {
    CommandLine partLine = loop.root().commandLine().getSubcommands().get(part);
    CommandSpec partSpec = partLine.getCommandSpec();
    List<String> args = new ArrayList<>();
    Map<String, String> defaults = new HashMap<>();
    loopDefaults.forEach((flag, value) -> defaults.put("--" + flag, value));
    for (OptionSpec option : partSpec.options()) {
      String name = option.longestName();
      OptionSpec own = loop.findOption(name);
      if (NOT_SHARED.contains(name) || own == null || own.usageHelp() || own.versionHelp()) {
        continue;
      }
      Object value = own.getValue();
      if (value == null || own.isMultiValue()) {
        continue;
      }
      String text = String.valueOf(value);
      if (!given(loop, own)) {
        defaults.put(name, text);
      } else if (option.arity().max() > 0) {
        args.add(name + "=" + text);
      } else if (Boolean.TRUE.equals(value)) {
        args.add(name);
      }
    }
    fixed.forEach((flag, value) -> args.add("--" + flag + "=" + value));
    IDefaultValueProvider keys = partLine.getDefaultValueProvider();
    partLine.setDefaultValueProvider(
        option -> {
          String fromKeys = keys == null ? null : keys.defaultValue(option);
          return fromKeys != null
              ? fromKeys
              : option instanceof OptionSpec o ? defaults.get(o.longestName()) : null;
        });
    try {
      partLine.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new CommandFailure(
          part + " (in " + loop.name() + "): " + e.getMessage(), Worldstream.USAGE, e);
    } finally {
      // The keys alone again, so a value the part refuses is reported with where it came from.
      partLine.setDefaultValueProvider(keys);
    }
    @SuppressWarnings("unchecked")
    C command = (C) partLine.getCommand();
    return settings.apply(command);
  }

  /** Whether the loop's option was set by a flag or a key rather than left at its default. */
  private static boolean given(CommandSpec loop, OptionSpec option) {
    CommandLine line = loop.commandLine();
    boolean flag = line.getParseResult() != null && line.getParseResult().hasMatchedOption(option);
    return flag
        || (line.getDefaultValueProvider() instanceof LayeredSettings layered
            && layered.sourceOf(option).isPresent());
  }
}
