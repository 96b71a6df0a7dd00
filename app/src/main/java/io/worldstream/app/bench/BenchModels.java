package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.models.ModelsBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Measures VAE encoding, dreaming and MDN-RNN training speed.",
      "VAE encode frames/s at batch 1, 32 and 256; dream steps/s at 1024 dreams against 1;",
      "the MDN-RNN training step at 16 sequences × 32 steps against its forward pass."
    })
public final class BenchModels implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--ort-threads",
      defaultValue = "2",
      description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int ortThreads;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() {
    ModelsBenchmark.Settings settings =
        Commands.settings(spec, () -> new ModelsBenchmark.Settings(ortThreads, seconds));
    new ModelsBenchmark(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}
