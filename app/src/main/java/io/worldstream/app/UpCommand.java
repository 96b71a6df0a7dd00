package io.worldstream.app;

import io.worldstream.broker.BrokerService;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.encode.Encoder;
import io.worldstream.encode.EncoderSettings;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.Service;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.StatusLine;
import io.worldstream.serving.evaluator.Evaluator;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import io.worldstream.serving.registry.ModelThinning;
import io.worldstream.train.learner.TrainSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worldstream up}: the whole loop in one process, composed from the same services as the
 * separate commands, with their defaults: broker, encoder, learner, serving with the evaluator, and
 * workers acting with the newest controller (brownian until there is one).
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole loop embedded, in this process: the Kafka broker, the",
      "encoder, the Flink learner, serving (registry, dream API, dashboard)",
      "with the controller evaluator, and CarRacing workers that act with the",
      "newest controller. Everything is kept under --data-dir; run it again to",
      "resume. Ctrl-C stops the workers first and the broker last.",
      "Each part is also a command of its own (broker, encode, train, serve,",
      "evaluate, worker) for running them on separate machines, and up runs",
      "each part as its command would: the part's keys set it here too",
      "(encode.batch-size=64 in a --config file, WORLDSTREAM_ENCODE_BATCH_SIZE",
      "in the environment), and the flags below set the parts' flags of the",
      "same names, over the parts' keys."
    })
public final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DataDirOption data;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description =
          "The embedded broker's port on 127.0.0.1; 0 for any free one, which the broker's start"
              + " line names (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description =
          "The dashboard's and API's port on 127.0.0.1; 0 for any free one, which the Dashboard"
              + " line names (default: ${DEFAULT-VALUE}).")
  int httpPort;

  /** The loop's sizes; like the thinning flags below, they reach the parts by their names. */
  @Mixin LoopOptions sizes;

  @Mixin ThinningOptions thinning;

  @Option(
      names = "--status-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often the status line prints (default: ${DEFAULT-VALUE}).")
  Duration statusInterval;

  @Override
  public Integer call() {
    Consumer<String> say = Commands.console(spec);
    int brokerPort = port == 0 ? EmbeddedKafkaBroker.freePort() : port;
    Loop loop = sizes.loop(data.dataDir(), brokerPort, httpPort, statusInterval);
    List<Service> services = Commands.create(() -> loop.services(say));
    return Commands.run(spec, services.toArray(Service[]::new));
  }

  /**
   * The loop's composition, shared by {@code up} and {@code bench learn}: each part's settings as
   * its own command would build them ({@link PartSettings}).
   *
   * @param port the embedded broker's port
   * @param encoder the encoder's settings
   * @param train the learner's settings
   * @param serving the registry's, dream API's and dashboard's settings, on the loop's HTTP port
   * @param evaluator the controller evaluator's search
   * @param workers the experience workers' settings
   * @param statusInterval how often the status line prints
   */
  public record Loop(
      Path dataDir,
      int port,
      EncoderSettings encoder,
      TrainSettings train,
      ServingSettings serving,
      EvaluatorSettings evaluator,
      WorkerSettings workers,
      Duration statusInterval) {

    /** This loop with its checkpoint models thinned as given (empty keeps them all). */
    public Loop withThinning(Optional<ModelThinning> thinning) {
      return new Loop(
          dataDir,
          port,
          encoder,
          train,
          serving.withThinning(thinning),
          evaluator,
          workers,
          statusInterval);
    }

    public KafkaSettings kafka() {
      return KafkaSettings.at("127.0.0.1:" + port);
    }

    /** Broker, encoder, learner, serving, evaluator, status line and workers, in start order. */
    public List<Service> services(Consumer<String> say) {
      KafkaSettings kafka = kafka();
      Serving server = new Serving(kafka, serving, evaluator.startsPerVae(), say);
      return List.of(
          new BrokerService(new BrokerService.Settings(dataDir, port, true), say),
          Encoder.create(kafka, encoder, say),
          new io.worldstream.train.learner.LearnerService(kafka, train, say),
          server,
          new Evaluator(kafka, evaluator, say, server::searchInputs),
          new StatusLine(server, statusInterval, say),
          new ExperienceWorker(workers, kafka, say));
    }
  }
}
