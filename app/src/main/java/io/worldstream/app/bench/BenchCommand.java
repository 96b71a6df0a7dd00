package io.worldstream.app.bench;

import picocli.CommandLine.Command;

/** {@code worldstream bench}: the speed figures of docs/BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures the figures the issues set goals for (see docs/BENCHMARKS.md).",
    subcommands = {BenchModels.class, BenchEncode.class})
public final class BenchCommand {}
