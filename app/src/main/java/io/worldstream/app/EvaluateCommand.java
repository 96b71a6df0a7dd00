package io.worldstream.app;

import io.worldstream.serving.evaluator.Evaluator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worldstream evaluate}: CMA-ES in the dream of every fresh checkpoint. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Searches with CMA-ES for the best controller inside the dream of the newest",
      "checkpoint on wm.checkpoints. A generation's candidates drive dreams that start",
      "from real episode starts on wm.latents, all stepping together through the",
      "MDN-RNN. Each generation publishes its report to wm.evaluations and the best",
      "controller to wm.controllers, where workers with --policy controller pick it up;",
      "every few generations that controller also drives the real environment. A newer",
      "checkpoint is taken up after the running generation; a restart continues where",
      "the published reports end."
    })
public final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin EvaluatorOptions evaluator;

  @Override
  public Integer call() {
    Evaluator service =
        Commands.create(
            () -> new Evaluator(kafka.settings(), evaluator.settings(), Commands.console(spec)));
    return Commands.run(spec, service);
  }
}
