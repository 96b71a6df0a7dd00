package io.worldstream.app.bench;

import io.worldstream.app.Worldstream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worldstream bench all}: every benchmark in sequence, with its defaults, then one table of
 * all their figures, each beside its same-run baseline, read back from the figure lines the
 * benchmarks print.
 */
@Command(
    name = "all",
    mixinStandardHelpOptions = true,
    description = {
      "Runs every benchmark in turn with its defaults (about twenty minutes on two cores),",
      "then prints one Markdown table of all their figures with their same-run baselines."
    })
public final class BenchAll implements Callable<Integer> {

  /** The benchmarks, in the order the data flows through Worldstream. */
  static final List<String> BENCHMARKS =
      List.of("env", "models", "encode", "train", "evaluate", "serve", "worker", "restart", "up");

  /** A figure line: {@code name: value unit (baseline name: value unit, ratio %)}. */
  static final Pattern FIGURE =
      Pattern.compile(
          "^([\\w.-]+): ([-0-9.]+) (\\S+)(?: \\(baseline ([\\w.-]+): ([-0-9.]+) (\\S+)(?:, ([-0-9.]+) %)?\\))?$");

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the table to this file.")
  Path outFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> rows = new ArrayList<>();
    for (String benchmark : BENCHMARKS) {
      out.printf("=== worldstream bench %s%n", benchmark);
      out.flush();
      StringWriter captured = new StringWriter();
      var cli = Worldstream.commandLine();
      cli.setOut(new PrintWriter(new Tee(out, captured), true));
      int code = cli.execute("bench", benchmark);
      if (code != 0) {
        rows.add("| `bench " + benchmark + "` | failed (exit " + code + ") | | |");
        continue;
      }
      for (String line : captured.toString().split("\\R")) {
        Matcher m = FIGURE.matcher(line.strip());
        if (m.matches()) {
          rows.add(
              String.format(
                  "| `bench %s` | %s: %s %s | %s | %s |",
                  benchmark,
                  m.group(1),
                  m.group(2),
                  m.group(3),
                  m.group(4) == null ? "" : m.group(4) + ": " + m.group(5) + " " + m.group(6),
                  m.group(7) == null ? "" : m.group(7) + " %"));
        }
      }
    }
    List<String> table = new ArrayList<>();
    table.add("Machine: " + machine() + ", " + LocalDate.now() + ".");
    table.add("");
    table.add("| command | figure | same-run baseline | figure / baseline |");
    table.add("|---|---|---|---|");
    table.addAll(rows);
    out.println();
    table.forEach(out::println);
    out.flush();
    if (outFile != null) {
      Files.write(outFile, table);
    }
    return 0;
  }

  private static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory =
        os instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun.getTotalMemorySize() >> 30
            : -1;
    return String.format(
        Locale.ROOT,
        "%d cores, %d GB, %s %s, Java %s",
        Runtime.getRuntime().availableProcessors(),
        memory,
        os.getName(),
        os.getArch(),
        Runtime.version().feature());
  }

  /** Writes to two writers at once. */
  private static final class Tee extends Writer {
    private final Writer a;
    private final Writer b;

    Tee(Writer a, Writer b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(char[] chars, int off, int len) throws java.io.IOException {
      a.write(chars, off, len);
      b.write(chars, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }

    @Override
    public void close() throws java.io.IOException {
      flush();
    }
  }
}
