package io.worldstream.app;

import io.worldstream.encode.Encoder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worldstream encode}: the Kafka Streams encoder, frames in, latents out. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes every frame of wm.experience with the VAE into a latent on wm.latents, in",
      "micro-batches, exactly once; records it cannot use go to wm.experience.dlq with the reason.",
      "Run more instances with the same --application-id to share the partitions.",
      "With --vae FILE, a changed file is checked and put in service between two batches."
    })
public final class EncodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Mixin EncoderOptions encoder;

  @Override
  public Integer call() {
    Encoder service =
        Commands.create(
            () -> Encoder.create(kafka.settings(), encoder.settings(), Commands.console(spec)));
    return Commands.run(spec, service);
  }
}
