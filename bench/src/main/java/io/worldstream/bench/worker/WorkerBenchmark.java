package io.worldstream.bench.worker;

import io.worldstream.bench.BenchLineage;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Scratch;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.Exploration;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.producers.WorkerSettings.Policy;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.InvalidSettingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Steps per second of a worker whose environments act with a controller — every step encoded by the
 * VAE and advanced by the MDN-RNN for the controller's features — against the same worker driving
 * brownian, which needs no model, in the same run. Both publish every step to an in-process broker.
 * The controller (seeded random weights, so it steers, brakes and accelerates) acts in an untrained
 * MDN-RNN published as checkpoint v1 of a lineage of its own. Rounds alternate the two policies;
 * the best round of each counts.
 */
public final class WorkerBenchmark {

  /**
   * @param envs the worker's environments
   * @param seconds how long each round is measured
   * @param warmupSeconds unmeasured time first in each round (JIT, models loaded)
   * @param rounds rounds per policy
   */
  public record Settings(int envs, double seconds, double warmupSeconds, int rounds) {
    public Settings {
      InvalidSettingException.atLeast("envs", "the number of environments", envs, 1);
      InvalidSettingException.atLeast("rounds", "the number of rounds", rounds, 1);
      if (!(seconds > 0)) {
        throw new InvalidSettingException("seconds", "the time must be positive, not " + seconds);
      }
      if (!(warmupSeconds >= 0)) {
        throw new InvalidSettingException(
            "warmup", "the warm-up must not be negative, not " + warmupSeconds);
      }
    }
  }

  private static final String LINEAGE = "bench-worker";

  private final Settings settings;
  private final PrintWriter out;

  public WorkerBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public Figures run() throws Exception {
    out.printf(
        "Worker benchmark: %d × %s, %s, brownian and controller alternately, %d rounds each of"
            + " %.0f s after %.0f s warm-up; %d cores%n",
        settings.envs(),
        CarRacing.ID,
        "every step published to an in-process broker",
        settings.rounds(),
        settings.seconds(),
        settings.warmupSeconds(),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    Path scratch = Scratch.directory("worker");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      kafka.createMissingTopics();
      try (KafkaProducer<String, byte[]> producer = BenchLineage.producer(kafka)) {
        BenchLineage.publish(
            producer,
            LINEAGE,
            BenchLineage.untrainedModel(LINEAGE),
            randomWeights(),
            List.of(0f, 0.5f, -0.5f));
      }
      double brownian = 0;
      double controller = 0;
      for (int round = 0; round < settings.rounds(); round++) {
        brownian = Math.max(brownian, measure(kafka, Policy.BROWNIAN, round));
        controller = Math.max(controller, measure(kafka, Policy.CONTROLLER, round));
      }
      String envs = "envs" + settings.envs();
      Figures figures =
          new Figures()
              .add(
                  "worker.controller-" + envs, controller, "steps/s", "brownian-" + envs, brownian);
      figures.print(out);
      return figures;
    } finally {
      Scratch.delete(scratch);
    }
  }

  /** One round: the worker's steps per second over the measured time. */
  private double measure(KafkaSettings kafka, Policy policy, int round) throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    ExperienceWorker worker =
        new ExperienceWorker(
            new WorkerSettings(
                CarRacing.ID,
                settings.envs(),
                policy,
                OptionalLong.empty(),
                OptionalDouble.empty(),
                1000,
                OptionalLong.of(1),
                "bench-" + policy.id() + "-" + round,
                LINEAGE,
                Exploration.NONE,
                Duration.ofHours(1)),
            kafka,
            said::add);
    worker.start();
    try {
      long warmupEnds = System.nanoTime() + (long) (settings.warmupSeconds() * 1e9);
      long giveUp = warmupEnds + 60_000_000_000L;
      while (System.nanoTime() < warmupEnds
          || (policy == Policy.CONTROLLER
              && said.stream().noneMatch(line -> line.contains("acting with controller")))) {
        failIfFailed(worker);
        if (System.nanoTime() > giveUp) {
          throw new IllegalStateException(
              "the worker did not act with the benchmark's controller within a minute: " + said);
        }
        Thread.sleep(50);
      }
      long steps = worker.steps();
      long started = System.nanoTime();
      Thread.sleep((long) (settings.seconds() * 1000));
      double rate = (worker.steps() - steps) / ((System.nanoTime() - started) / 1e9);
      failIfFailed(worker);
      out.printf("  round %d, %s: %.0f steps/s%n", round + 1, policy.id(), rate);
      out.flush();
      return rate;
    } finally {
      worker.stop(Duration.ofSeconds(30));
    }
  }

  private static void failIfFailed(ExperienceWorker worker) {
    worker
        .failure()
        .ifPresent(
            e -> {
              throw new IllegalStateException("the worker failed: " + e.getMessage(), e);
            });
  }

  /** A controller that steers, brakes and accelerates with its features: N(0, 0.05²) weights. */
  private static List<Float> randomWeights() {
    Random random = new Random(7);
    List<Float> weights = new ArrayList<>();
    for (int i = 0; i < 3 * (MdnSpec.LATENT + MdnSpec.HIDDEN); i++) {
      weights.add((float) (0.05 * random.nextGaussian()));
    }
    return weights;
  }
}
