package io.worldstream.app.vae;

import ai.djl.ndarray.NDManager;
import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.app.Worldstream;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.train.vae.DjlVae;
import io.worldstream.train.vae.VaeTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  static final class Source {
    @Option(
        names = "--from-env",
        required = true,
        description = "Collect frames by running CarRacing with the brownian policy.")
    boolean fromEnv;

    @Option(
        names = "--from-topic",
        required = true,
        description = "Read frames from wm.experience, oldest first.")
    boolean fromTopic;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--episodes",
      paramLabel = "E",
      defaultValue = "40",
      description = "--from-env: episodes, seeds S, S+1, … (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(
      names = "--steps",
      paramLabel = "T",
      defaultValue = "300",
      description = "--from-env: steps per episode (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "First episode seed, and the training seed (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "12000",
      description = "--from-topic: frames to read at most (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = "1e-3",
      description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--held-out",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description = "Share of episodes held out (default: ${DEFAULT-VALUE}).")
  double heldOut;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "Where to write the model and its card.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (epochs < 1
        || batchSize < 1
        || episodes < 1
        || steps < 1
        || limit < 1
        || heldOut < 0
        || heldOut >= 1) {
      throw new CommandFailure(
          "--epochs, --batch-size, --episodes, --steps and --limit must be positive, --held-out in [0, 1)",
          Worldstream.USAGE,
          null);
    }
    var print = spec.commandLine().getOut();
    java.util.function.Consumer<String> say =
        line -> {
          print.println(line);
          print.flush();
        };
    long started = System.nanoTime();
    VaeTrainer.Frames frames = source.fromEnv ? collectFromEnv(say) : readFromTopic(say);
    if (frames.size() < batchSize) {
      throw new CommandFailure(
          "Only " + frames.size() + " frames to train on; need at least one batch of " + batchSize);
    }
    Duration collecting = Duration.ofNanos(System.nanoTime() - started);
    Files.createDirectories(out);
    try (NDManager manager = NDManager.newBaseManager()) {
      DjlVae vae = DjlVae.initialise(manager);
      VaeTrainer trainer = new VaeTrainer(manager, vae);
      VaeTrainer.Report report =
          trainer.train(
              frames,
              new VaeTrainer.Options(epochs, batchSize, learningRate, 100, heldOut, seed),
              say);
      var weights = vae.weights().export();
      byte[] encoder = VaeGraphs.encoder(weights, "trained by worldstream vae train");
      byte[] decoder = VaeGraphs.decoder(weights, "trained by worldstream vae train");
      Files.write(out.resolve("encoder.onnx"), encoder);
      Files.write(out.resolve("decoder.onnx"), decoder);
      ModelCard card =
          new ModelCard(
              frames,
              report,
              commandLine(),
              collecting,
              source.fromEnv
                  ? "CarRacing-v3 (Java port), brownian policy, seeds "
                      + seed
                      + "–"
                      + (seed + episodes - 1)
                      + ", "
                      + steps
                      + " steps each"
                  : "wm.experience via " + kafka.bootstrapServers());
      card.write(out, encoder, decoder);
      say.accept(
          String.format(
              "VAE written to %s: held-out MSE per pixel %.5f after %d epochs (%s)",
              out, report.heldOutMsePerPixel(), epochs, report.wall()));
    }
    return 0;
  }

  private String commandLine() {
    // originalArgs() holds the whole command line, subcommand names included.
    return "./worldstream " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  private VaeTrainer.Frames collectFromEnv(java.util.function.Consumer<String> say) {
    List<String> ids = new ArrayList<>();
    List<byte[]> observations = new ArrayList<>();
    try (Environment env = Environments.make(CarRacing.ID, true, false, steps)) {
      for (int e = 0; e < episodes; e++) {
        BrownianPolicy policy = new BrownianPolicy(env.actionSpec(), seed + e);
        Pixels observation = env.reset(seed + e).observation();
        String id = "seed-" + (seed + e);
        for (int t = 0; t < steps; t++) {
          ids.add(id);
          observations.add(observation.data());
          Step step = env.step(policy.act(observation));
          if (step.done()) {
            break;
          }
          observation = step.observation();
        }
        if ((e + 1) % 10 == 0 || e + 1 == episodes) {
          say.accept(String.format("collected %d episodes, %d frames", e + 1, observations.size()));
        }
      }
    }
    return new VaeTrainer.Frames(ids, observations);
  }

  private VaeTrainer.Frames readFromTopic(java.util.function.Consumer<String> say) {
    List<String> ids = new ArrayList<>();
    List<byte[]> observations = new ArrayList<>();
    kafka.connectedAdmin().close();
    try (var reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.EXPERIENCE.name()),
            TopicReader.From.BEGINNING,
            Topics.EXPERIENCE.keySerde().deserializer(),
            Topics.EXPERIENCE.valueSerde().deserializer())) {
      while (observations.size() < limit && !reader.caughtUp()) {
        for (var record : reader.poll(Duration.ofMillis(500))) {
          ExperienceStep step = record.value();
          var frame = step.getFrame();
          if (frame.getHeight() != VaeSpec.OBSERVATION_HEIGHT
              || frame.getWidth() != VaeSpec.OBSERVATION_WIDTH
              || frame.getChannels() != VaeSpec.OBSERVATION_CHANNELS) {
            continue;
          }
          ByteBuffer pixels = frame.getPixels();
          byte[] data = new byte[pixels.remaining()];
          pixels.duplicate().get(data);
          ids.add(step.getEpisodeId());
          observations.add(data);
          if (observations.size() >= limit) {
            break;
          }
        }
      }
    }
    say.accept(
        "read "
            + observations.size()
            + " frames of "
            + ids.stream().distinct().count()
            + " episodes from "
            + Topics.EXPERIENCE.name());
    return new VaeTrainer.Frames(ids, observations);
  }
}
