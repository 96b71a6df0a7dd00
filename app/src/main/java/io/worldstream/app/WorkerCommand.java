package io.worldstream.app;

import io.worldstream.producers.ExperienceWorker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worldstream worker}: environments feeding live experience into Kafka. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Steps environments under a policy and publishes every step to wm.experience.",
      "Several workers, in any number of processes or machines, can feed the same topic.",
      "Ctrl-C ends running episodes as truncated and waits until every step is delivered."
    })
public final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin WorkerOptions worker;

  @Override
  public Integer call() {
    ExperienceWorker service =
        Commands.create(
            () ->
                new ExperienceWorker(worker.settings(), kafka.settings(), Commands.console(spec)));
    return Commands.run(spec, service);
  }
}
