package io.worldstream.app.vae;

import io.worldstream.app.Commands;
import io.worldstream.app.KafkaOptions;
import io.worldstream.train.vae.VaeTrainingRun;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a VAE on CarRacing frames and writes encoder.onnx, decoder.onnx, a model card and a",
      "picture of held-out frames above their reconstructions.",
      "Frames come from wm.experience (--from-topic) or from CarRacing run here (--from-env)."
    })
public final class VaeTrain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin VaeTrainingOptions training;

  @Override
  public Integer call() {
    // originalArgs() holds the whole command line, subcommand names included.
    String command =
        "./worldstream " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    VaeTrainingRun run =
        new VaeTrainingRun(training.settings(), kafka.settings(), command, Commands.console(spec));
    return Commands.run(spec, run);
  }
}
