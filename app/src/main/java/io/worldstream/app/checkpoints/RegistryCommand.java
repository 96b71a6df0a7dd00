package io.worldstream.app.checkpoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code checkpoints} subcommand: reads the registry from Kafka, then answers from it. */
abstract class RegistryCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Override
  public final Integer call() throws Exception {
    try (CheckpointRegistry registry = new CheckpointRegistry(kafka.clientConfig(), 1)) {
      if (!registry.awaitCaughtUp(Duration.ofMinutes(2))) {
        throw fail("wm.checkpoints could not be read to its end within 2 minutes.");
      }
      return run(registry);
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
  }

  abstract int run(CheckpointRegistry registry) throws Exception;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void printJson(Object value) {
    try {
      out().println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static CommandFailure fail(String message) {
    return new CommandFailure(message);
  }
}
