package io.worldstream.bench.train;

import ai.djl.ndarray.NDManager;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Rates;
import io.worldstream.bench.Scratch;
import io.worldstream.bench.ThreadCpu;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.train.learner.LearnerService;
import io.worldstream.train.learner.LearnerSettings;
import io.worldstream.train.learner.LearnerStatus;
import io.worldstream.train.learner.TrainSettings;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The learner's training throughput inside Flink against the standalone trainer, in one run: the
 * standalone {@link MdnRnnTrainer} on batches of the learner's shape (before and after), and the
 * learner job in an embedded MiniCluster kept busy by a high train ratio over latents written to an
 * in-process broker. Throughput is in sequence-steps (transitions) per second.
 */
public final class TrainBenchmark {

  /**
   * @param episodes synthetic episodes of latents written first
   * @param steps steps per episode
   * @param seconds measuring time of each phase
   * @param torchThreads PyTorch's intra-op threads for the learner and the standalone trainer
   */
  public record Settings(int episodes, int steps, double seconds, int torchThreads) {
    public Settings {
      InvalidSettingException.atLeast("torch-threads", "PyTorch threads", torchThreads, 1);
      InvalidSettingException.atLeast("bench-episodes", "the number of episodes", episodes, 2);
      InvalidSettingException.atLeast("bench-steps", "steps per episode", steps, 2);
      if (!(seconds > 0)) {
        throw new InvalidSettingException(
            "seconds", "the time per phase must be positive, not " + seconds);
      }
    }
  }

  private static final int BATCH = 16;
  private static final int LENGTH = 32;

  private final Settings settings;
  private final PrintWriter out;

  public TrainBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public Figures run() throws Exception {
    Path scratch = Scratch.directory("train");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      kafka.createMissingTopics();
      writeLatents(kafka);
      // The learner first, as in `worldstream train`, where its task thread is the first to train:
      // a thread that starts training after others have can be markedly slower
      // (docs/BENCHMARKS.md).
      double inFlink = learner(kafka, scratch);
      say("learner in Flink: %.0f sequence-steps/s", inFlink);
      double before = standalone();
      say("standalone trainer: %.0f sequence-steps/s", before);
      // The same trainer on a thread started after others have trained, for comparison.
      double[] onThread = new double[1];
      int[] threads = new int[1];
      Thread fresh =
          new Thread(
              () -> {
                threads[0] = ai.djl.pytorch.jni.JniUtils.getNumThreads();
                onThread[0] = standalone();
              });
      fresh.start();
      fresh.join();
      say(
          "standalone trainer on a new thread (libtorch threads there: %d, here: %d): %.0f sequence-steps/s",
          threads[0], ai.djl.pytorch.jni.JniUtils.getNumThreads(), onThread[0]);

      double after = standalone();
      say("standalone trainer again: %.0f sequence-steps/s", after);

      // What the rest of a pipeline on the same cores does to training: one busy thread.
      double[] underLoad = new double[3];
      Thread load = busyThread();
      try {
        for (int torch : new int[] {1, 2}) {
          ai.djl.pytorch.jni.JniUtils.setNumThreads(torch);
          underLoad[torch] = standalone();
          say(
              "standalone trainer, %d PyTorch thread(s), one core busy elsewhere: %.0f sequence-steps/s",
              torch, underLoad[torch]);
        }
      } finally {
        load.interrupt();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(settings.torchThreads());
      }
      Figures figures =
          new Figures()
              .add(
                  "train.learner-throughput",
                  inFlink,
                  "sequence-steps/s",
                  "standalone-trainer",
                  (before + after) / 2)
              .add(
                  "train.standalone-on-a-new-thread",
                  onThread[0],
                  "sequence-steps/s",
                  "standalone-trainer",
                  (before + after) / 2)
              .add(
                  "train.under-load-1-thread",
                  underLoad[1],
                  "sequence-steps/s",
                  "under-load-2-threads",
                  underLoad[2]);
      figures.print(out);
      return figures;
    } finally {
      Scratch.delete(scratch);
    }
  }

  /** A thread that keeps one core busy until interrupted. */
  private static Thread busyThread() {
    Thread thread =
        new Thread(
            () -> {
              long x = 0;
              while (!Thread.currentThread().isInterrupted()) {
                x += System.nanoTime() % 7;
              }
              if (x == 42) {
                System.out.print("");
              }
            },
            "bench-load");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }

  /** The standalone trainer's sequence-steps per second on full batches of the learner's shape. */
  private double standalone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MdnRnnTrainer trainer = new MdnRnnTrainer(manager, DjlMdnRnn.initialise(manager), 1e-3f, 1.0);
      MdnRnnTrainer.Batch batch = randomBatch(new Random(1));
      // A rate over the whole time, as the learner's is: pauses count on both sides.
      return Rates.perSecond(
          () -> trainer.step(batch),
          BATCH * LENGTH,
          Duration.ofSeconds(2),
          Duration.ofNanos((long) (settings.seconds() * 1e9)));
    }
  }

  /** The learner's gradient steps per second, once it is busy, times the transitions per step. */
  private double learner(KafkaSettings kafka, Path scratch) throws Exception {
    TrainSettings train =
        new TrainSettings(
            LearnerSettings.builder()
                .batchSize(BATCH)
                .trainRatio(1_000)
                .replayCapacity(5_000)
                .heldOutCapacity(100)
                .checkpointEvery(1_000_000)
                .checkpointInterval(Duration.ofHours(1))
                .torchThreads(settings.torchThreads())
                .build(),
            LENGTH,
            LENGTH / 2,
            0,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            scratch.resolve("train"),
            "bench-train",
            Duration.ofHours(1),
            java.util.Optional.empty());
    LearnerService service = new LearnerService(kafka, train, line -> {});
    service.start();
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (LearnerStatus.gradientSteps() < 20 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long steps = LearnerStatus.gradientSteps();
      long inSteps = LearnerStatus.stepNanos();
      var threads = ThreadCpu.snapshot();
      long process = ThreadCpu.processNanos();
      long start = System.nanoTime();
      Thread.sleep((long) (settings.seconds() * 1000));
      double seconds = (System.nanoTime() - start) / 1e9;
      var used = new java.util.HashMap<String, Long>();
      ThreadCpu.addSince(used, threads, "");
      say("CPU by thread while the learner trained (cores):");
      ThreadCpu.print(out, used, ThreadCpu.processNanos() - process, seconds);
      long taken = LearnerStatus.gradientSteps() - steps;
      say(
          "learner: %d gradient steps in %.1f s, %.1f ms each of which %.1f ms in the step itself",
          taken,
          seconds,
          seconds * 1e3 / taken,
          (LearnerStatus.stepNanos() - inSteps) / 1e6 / taken);
      return taken * BATCH * LENGTH / seconds;
    } finally {
      service.stop(Duration.ofSeconds(30));
      // A cancelled task may still finish its step; DJL allows one gradient collector per JVM.
      long last;
      do {
        last = LearnerStatus.gradientSteps();
        Thread.sleep(1_000);
      } while (LearnerStatus.gradientSteps() != last);
    }
  }

  private static MdnRnnTrainer.Batch randomBatch(Random random) {
    float[] mu = new float[BATCH * (LENGTH + 1) * MdnSpec.LATENT];
    float[] logvar = new float[mu.length];
    float[] actions = new float[BATCH * LENGTH * MdnSpec.ACTIONS];
    for (int i = 0; i < mu.length; i++) {
      mu[i] = (float) random.nextGaussian();
      logvar[i] = -2;
    }
    for (int i = 0; i < actions.length; i++) {
      actions[i] = (float) random.nextGaussian() * 0.5f;
    }
    float[] mask = new float[BATCH * LENGTH];
    Arrays.fill(mask, 1);
    return new MdnRnnTrainer.Batch(
        BATCH,
        LENGTH,
        mu,
        logvar,
        actions,
        new float[BATCH * LENGTH],
        new float[BATCH * LENGTH],
        mask);
  }

  private void writeLatents(KafkaSettings kafka) {
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(),
            Topics.LATENTS.keySerde().serializer(),
            Topics.LATENTS.valueSerde().serializer())) {
      Random random = new Random(7);
      for (int e = 0; e < settings.episodes(); e++) {
        String episode = "bench-" + e;
        for (int t = 0; t < settings.steps(); t++) {
          producer.send(
              new ProducerRecord<>(
                  Topics.LATENTS.name(),
                  episode,
                  SyntheticLatents.step(random, episode, t, t == settings.steps() - 1)));
        }
      }
    }
    say("latents: %d episodes of %d steps written", settings.episodes(), settings.steps());
  }
}
