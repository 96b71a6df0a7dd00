package io.worldstream.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's help is laid out: 100 columns, the width its descriptions are written to (at
 * picocli's 80 each of their lines wrapped again on its own, mid-sentence), and a list of
 * subcommands that names each by the first sentence of its description rather than by its first
 * line, which ends wherever the source broke it.
 */
final class HelpLayout {

  /** Columns of the help text. */
  static final int WIDTH = 100;

  /** A full stop that ends a sentence (not "e.g." or "i.e."): the text's last, or a capital's. */
  private static final Pattern SENTENCE_END =
      Pattern.compile("(?<!\\be\\.g|\\bi\\.e)\\.(?=\\s+[A-Z]|$)");

  private HelpLayout() {}

  /** Lays out the help of {@code cli} and of every command below it. */
  static void apply(CommandLine cli) {
    cli.setUsageHelpWidth(WIDTH);
    register(cli);
  }

  private static void register(CommandLine command) {
    command
        .getHelpSectionMap()
        .put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
    command.getSubcommands().values().forEach(HelpLayout::register);
  }

  private static String commandList(Help help) {
    Map<String, String> summaries = new LinkedHashMap<>();
    help.subcommands()
        .forEach(
            (name, command) -> summaries.put(name, summary(command.commandSpec().usageMessage())));
    return summaries.isEmpty() ? "" : help.createTextTable(summaries).toString();
  }

  /** How a command is listed: the first sentence of its header, or of its description. */
  static String summary(UsageMessageSpec usage) {
    return summary(usage.header().length > 0 ? usage.header() : usage.description());
  }

  /**
   * The first sentence of a description written as lines: up to the first full stop that ends a
   * sentence; an introduction that ends in a colon (a list follows) becomes a sentence of its own.
   */
  static String summary(String[] lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      String part = line.strip();
      if (part.isEmpty()) {
        continue;
      }
      int from = text.length();
      text.append(text.isEmpty() ? "" : " ").append(part);
      Matcher end = SENTENCE_END.matcher(text);
      if (end.find(from)) {
        return text.substring(0, end.end());
      }
      if (part.endsWith(":")) {
        return text.substring(0, text.length() - 1) + ".";
      }
    }
    return text.toString();
  }
}
