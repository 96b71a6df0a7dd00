package io.worldstream.app.bench;

import picocli.CommandLine.Command;

/** {@code worldstream bench}: the speed figures of docs/BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measures Worldstream's speed, how well it learns to drive (learn) and how well its dream predicts the road (fidelity); each benchmark ends with name: value unit lines (docs/BENCHMARKS.md).",
    subcommands = {
      BenchEnv.class,
      BenchModels.class,
      BenchEncode.class,
      BenchTrain.class,
      BenchEvaluate.class,
      BenchServe.class,
      BenchWorker.class,
      BenchRestart.class,
      BenchUp.class,
      BenchLearn.class,
      BenchFidelity.class,
      BenchAll.class
    })
public final class BenchCommand {}
