package io.worldstream.app;

import io.worldstream.service.Service;
import io.worldstream.serving.Serving;
import io.worldstream.serving.evaluator.Evaluator;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code worldstream serve}: the registry's HTTP API, and the evaluator beside it. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the checkpoint registry over HTTP (wm.checkpoints read from the beginning, with",
      "the evaluations and best controller of each checkpoint) and runs the controller",
      "evaluator beside it unless --no-evaluator. Endpoints under /api/lineages: see",
      "docs/API.md."
    })
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin ServingOptions serving;

  @Mixin EvaluatorOptions evaluator;

  @Option(
      names = "--no-evaluator",
      description = "Serve only; run no controller search in this process.")
  boolean noEvaluator;

  @Override
  public Integer call() {
    Optional<EvaluatorSettings> search =
        noEvaluator ? Optional.empty() : Optional.of(Commands.create(evaluator::settings));
    int evaluatorStarts = search.map(EvaluatorSettings::startsPerVae).orElse(0);
    Serving server =
        Commands.create(
            () ->
                new Serving(
                    kafka.settings(), serving.settings(), evaluatorStarts, Commands.console(spec)));
    List<Service> services = new ArrayList<>(List.of(server));
    // The evaluator searches with the server's registry and dream starts.
    search.ifPresent(
        settings ->
            services.add(
                Commands.create(
                    () ->
                        new Evaluator(
                            kafka.settings(),
                            settings,
                            Commands.console(spec),
                            server::searchInputs))));
    return Commands.run(spec, services.toArray(Service[]::new));
  }
}
