package io.worldstream.app.bench;

import io.worldstream.app.Commands;
import io.worldstream.bench.serve.ServeBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Measures dream requests through the server: p50/p99 latency of a 16-rollout × 200-step",
      "dream without frames, and requests/s under concurrent clients, against the same dream",
      "stepped in-process."
    })
public final class BenchServe implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--requests",
      defaultValue = "200",
      description = "Sequential requests for the latency figures (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--clients",
      defaultValue = "8",
      description = "Concurrent clients for the throughput figure (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--seconds",
      defaultValue = "15",
      description = "How long the concurrent clients run (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Override
  public Integer call() throws Exception {
    ServeBenchmark.Settings settings =
        Commands.settings(spec, () -> new ServeBenchmark.Settings(requests, clients, seconds));
    new ServeBenchmark(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}
