package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpLayoutTest {

  @Test
  void namesACommandByItsFirstSentenceWhereverItsLinesBreak() {
    assertThat(
            HelpLayout.summary(
                new String[] {
                  "Encodes every frame of wm.experience with the VAE into a latent on wm.latents, in",
                  "micro-batches, exactly once; records it cannot use go to the dead letters.",
                  "Run more instances to share the partitions."
                }))
        .isEqualTo(
            "Encodes every frame of wm.experience with the VAE into a latent on wm.latents, in"
                + " micro-batches, exactly once; records it cannot use go to the dead letters.");
    assertThat(HelpLayout.summary(new String[] {"Runs a broker. Ctrl-C stops it."}))
        .isEqualTo("Runs a broker.");
  }

  @Test
  void keepsAbbreviationsAndEndsAnIntroductionToAList() {
    assertThat(
            HelpLayout.summary(
                new String[] {
                  "Measures a loop that already ran in --from (e.g.",
                  "'bench learn --data-dir DIR'): how well its dream predicts the road.",
                }))
        .isEqualTo(
            "Measures a loop that already ran in --from (e.g. 'bench learn --data-dir DIR'): how"
                + " well its dream predicts the road.");
    assertThat(
            HelpLayout.summary(
                new String[] {"Measures the encoder against a real broker:", "1. alone;", "2. in"}))
        .isEqualTo("Measures the encoder against a real broker.");
  }

  @Test
  void everyCommandIsListedByAWholeSentenceWithinTheWidth() {
    List<String> problems = new ArrayList<>();
    check(Worldstream.commandLine(Map.of()), problems);
    assertThat(problems).isEmpty();
  }

  private static void check(CommandLine command, List<String> problems) {
    String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    String name = command.getCommandSpec().qualifiedName();
    for (String line : usage.lines().toList()) {
      if (line.length() > HelpLayout.WIDTH) {
        problems.add(name + ": a line of " + line.length() + " characters: " + line);
      }
    }
    // Picocli may wrap a line after any full stop, even inside "wm.latents".
    String flat = usage.replaceAll("\\s+", "");
    command
        .getSubcommands()
        .forEach(
            (sub, subcommand) -> {
              String summary = HelpLayout.summary(subcommand.getCommandSpec().usageMessage());
              if (!summary.endsWith(".")) {
                problems.add(name + " " + sub + ": not a sentence: " + summary);
              }
              if (!flat.contains((sub + summary).replaceAll("\\s+", ""))) {
                problems.add(name + ": does not list " + sub + " as: " + summary);
              }
              check(subcommand, problems);
            });
  }
}
