package io.worldstream.app;

import io.worldstream.train.learner.LearnerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worldstream train}: the Flink job that learns the MDN-RNN from wm.latents. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Learns the MDN-RNN continually from wm.latents in a Flink job (embedded), one lineage per",
      "VAE version, and publishes versioned checkpoints to wm.checkpoints exactly once.",
      "Latents it cannot use go to wm.latents.dlq with the reason. Stopped and started again, it",
      "resumes from its last Flink checkpoint in DIR/train."
    })
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin TrainOptions train;

  @Override
  public Integer call() {
    LearnerService service =
        new LearnerService(kafka.settings(), train.settings(), Commands.console(spec));
    return Commands.run(spec, service);
  }
}
