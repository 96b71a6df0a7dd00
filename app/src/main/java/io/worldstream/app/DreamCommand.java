package io.worldstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldstream.serving.dream.DreamRequest;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.Refused;
import io.worldstream.serving.dream.ServedModels;
import io.worldstream.serving.evaluator.DreamStarts;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code worldstream dream}: one dream on demand, read straight from Kafka. */
@Command(
    name = "dream",
    mixinStandardHelpOptions = true,
    description = {
      "Runs rollouts inside a checkpoint's dream, from real episode starts on wm.latents, and",
      "prints their predicted returns; with --gif or --png, also pictures of the first four",
      "rollouts decoded by the VAE. The same options with the same seed give the same answer.",
      "The same as POST /api/dreams (docs/API.md), without a server."
    })
public final class DreamCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--lineage",
      paramLabel = "NAME",
      description = "Lineage (default: the newest checkpoint's).")
  String lineage;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Checkpoint version (default: the newest).")
  Long version;

  @Option(
      names = "--controller",
      paramLabel = "KIND",
      defaultValue = "best",
      description = "best, random or brownian (default: ${DEFAULT-VALUE}).")
  String controller;

  @Option(
      names = "--temperature",
      paramLabel = "TAU",
      defaultValue = "1.15",
      description = "Dream temperature (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--horizon",
      paramLabel = "STEPS",
      defaultValue = "200",
      description = "Dream steps at most (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--rollouts",
      paramLabel = "N",
      defaultValue = "16",
      description = "Rollouts (default: ${DEFAULT-VALUE}).")
  int rollouts;

  @Option(
      names = "--dream-seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of the dream (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--gif",
      paramLabel = "FILE",
      description = "Write the first rollouts as an animated GIF.")
  Path gif;

  @Option(
      names = "--png",
      paramLabel = "FILE",
      description = "Write the first rollouts as a PNG strip.")
  Path png;

  @Override
  public Integer call() throws Exception {
    ObjectNode body = new ObjectMapper().createObjectNode();
    if (lineage != null) {
      body.put("lineage", lineage);
    }
    if (version != null) {
      body.put("version", version);
    }
    body.put("controller", controller);
    body.put("temperature", temperature);
    body.put("horizon", horizon);
    body.put("rollouts", rollouts);
    body.put("seed", seed);
    body.put("frames", gif != null || png != null);
    DreamRequest request;
    try {
      request = DreamRequest.parse(body);
    } catch (DreamRequest.Invalid e) {
      throw new CommandFailure(e.getMessage());
    }
    var out = spec.commandLine().getOut();
    try (CheckpointRegistry registry = new CheckpointRegistry(kafka.clientConfig(), 1);
        DreamStarts starts =
            new DreamStarts(kafka.clientConfig(), DreamStarts.DEFAULT_KEPT_PER_VAE)) {
      if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
        throw new CommandFailure("wm.checkpoints could not be read to its end within 2 minutes.");
      }
      while (!starts.caughtUp()) {
        Thread.sleep(50);
      }
      try (ServedModels models =
          new ServedModels(registry, Math.max(1, Runtime.getRuntime().availableProcessors()), 1)) {
        Dreams.Result result = new Dreams(models, starts).run(request);
        double[] returns = result.returns();
        double mean = Arrays.stream(returns).average().orElse(0);
        double std =
            Math.sqrt(Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).average().orElse(0));
        out.printf(
            "Dream of checkpoint v%d of %s, %s controller%s, τ %.2f: %d rollouts of up to %d steps,"
                + " predicted return %.2f ± %.2f (min %.2f, max %.2f), %d dream steps in %d ms%n",
            result.checkpoint().version(),
            result.checkpoint().lineage(),
            result.controller(),
            result.controllerVersion().map(v -> " v" + v).orElse(""),
            request.temperature(),
            request.rollouts(),
            request.horizon(),
            mean,
            std,
            Arrays.stream(returns).min().orElse(0),
            Arrays.stream(returns).max().orElse(0),
            result.dreamSteps(),
            result.wallMillis());
        if (result.frames().isPresent()) {
          if (gif != null) {
            Files.write(gif, result.frames().get().gif());
            out.println("Wrote " + gif);
          }
          if (png != null) {
            Files.write(png, result.frames().get().png());
            out.println("Wrote " + png);
          }
        }
      } catch (Refused e) {
        throw new CommandFailure(e.getMessage());
      }
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
    return 0;
  }
}
