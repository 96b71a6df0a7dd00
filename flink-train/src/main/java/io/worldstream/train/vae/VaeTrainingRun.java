package io.worldstream.train.vae;

import ai.djl.ndarray.NDManager;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.models.vae.VaeGraphs;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.service.Completion;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A whole VAE training run as a service that finishes by itself: collect frames (from CarRacing or
 * from {@code wm.experience}), train, export encoder.onnx and decoder.onnx, and write the model
 * card with a picture of held-out reconstructions.
 */
public final class VaeTrainingRun implements Service {

  private final VaeTrainingSettings settings;
  private final KafkaSettings kafka;
  private final String command;
  private final Consumer<String> say;
  private volatile Completion<VaeTrainer.Report> running;

  /**
   * @param kafka where {@code wm.experience} is, when the frames come from it
   * @param command the command line that started the run, for the model card
   * @param say where progress lines go
   */
  public VaeTrainingRun(
      VaeTrainingSettings settings, KafkaSettings kafka, String command, Consumer<String> say) {
    this.settings = settings;
    this.kafka = kafka;
    this.command = command;
    this.say = say;
  }

  @Override
  public String name() {
    return "vae training";
  }

  @Override
  public Map<String, ?> configuration() {
    return settings.source() == VaeTrainingSettings.Source.TOPIC
        ? EffectiveConfiguration.of(settings, kafka)
        : EffectiveConfiguration.of(settings);
  }

  /**
   * Runs on a daemon thread: Ctrl-C ends the process without waiting for the epoch, and nothing is
   * written until the end.
   */
  @Override
  public synchronized void start() {
    running = Completion.start("vae-training", true, this::run);
  }

  @Override
  public boolean isReady() {
    return running != null;
  }

  @Override
  public boolean isDone() {
    return running != null && running.result().isPresent();
  }

  @Override
  public Optional<Throwable> failure() {
    return running == null ? Optional.empty() : running.failure();
  }

  @Override
  public void stop(Duration timeout) {
    if (running != null && !running.ended()) {
      say.accept("VAE training stopped before the end; nothing was written");
    }
  }

  /** Runs the whole training here, on the calling thread. */
  public VaeTrainer.Report run() {
    long started = System.nanoTime();
    VaeTrainer.Frames frames =
        settings.source() == VaeTrainingSettings.Source.ENVIRONMENT
            ? fromEnvironment()
            : fromTopic();
    if (frames.size() < settings.batchSize()) {
      throw new IllegalStateException(
          "Only "
              + frames.size()
              + " frames to train on; need at least one batch of "
              + settings.batchSize());
    }
    Duration collecting = Duration.ofNanos(System.nanoTime() - started);
    try (NDManager manager = NDManager.newBaseManager()) {
      Files.createDirectories(settings.out());
      DjlVae vae = DjlVae.initialise(manager);
      VaeTrainer.Report trained =
          new VaeTrainer(manager, vae).train(frames, settings.trainerOptions(), say);
      var weights = vae.weights().export();
      byte[] encoder = VaeGraphs.encoder(weights, "trained by worldstream vae train");
      byte[] decoder = VaeGraphs.decoder(weights, "trained by worldstream vae train");
      Files.write(settings.out().resolve("encoder.onnx"), encoder);
      Files.write(settings.out().resolve("decoder.onnx"), decoder);
      new ModelCard(frames, trained, command, collecting, describeData())
          .write(settings.out(), encoder, decoder);
      say.accept(
          String.format(
              "VAE written to %s: held-out MSE per pixel %.5f after %d epochs (%s)",
              settings.out(), trained.heldOutMsePerPixel(), settings.epochs(), trained.wall()));
      return trained;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the VAE to " + settings.out(), e);
    }
  }

  private String describeData() {
    return settings.source() == VaeTrainingSettings.Source.ENVIRONMENT
        ? CarRacing.ID
            + " (Java port), brownian policy, seeds "
            + settings.seed()
            + "–"
            + (settings.seed() + settings.episodes() - 1)
            + ", "
            + settings.steps()
            + " steps each"
        : Topics.EXPERIENCE.name() + " via " + kafka.bootstrapServers();
  }

  private VaeTrainer.Frames fromEnvironment() {
    List<String> ids = new ArrayList<>();
    List<byte[]> observations = new ArrayList<>();
    int seed = settings.seed();
    try (Environment env = Environments.make(CarRacing.ID, true, false, settings.steps())) {
      for (int e = 0; e < settings.episodes(); e++) {
        BrownianPolicy policy = new BrownianPolicy(env.actionSpec(), seed + e);
        Pixels observation = env.reset(seed + e).observation();
        String id = "seed-" + (seed + e);
        for (int t = 0; t < settings.steps(); t++) {
          ids.add(id);
          observations.add(observation.data());
          Step step = env.step(policy.act(observation));
          if (step.done()) {
            break;
          }
          observation = step.observation();
        }
        if ((e + 1) % 10 == 0 || e + 1 == settings.episodes()) {
          say.accept(String.format("collected %d episodes, %d frames", e + 1, observations.size()));
        }
      }
    }
    return new VaeTrainer.Frames(ids, observations);
  }

  private VaeTrainer.Frames fromTopic() {
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
      while (observations.size() < settings.limit() && !reader.caughtUp()) {
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
          if (observations.size() >= settings.limit()) {
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
