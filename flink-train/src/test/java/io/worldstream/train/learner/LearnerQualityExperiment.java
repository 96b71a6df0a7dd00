package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * How good the online learner's M is: on latents of the default VAE from brownian CarRacing
 * episodes, the learner (its own code, in Flink's operator harness, fed the episodes in the order
 * four workers would produce them and trained at its train ratio as they come) against the same
 * trainer run offline — epochs over all the training sequences — at equal gradient steps, and two
 * baselines on the same held-out episodes: the untrained model and persistence (next z = this z,
 * Gaussian with a per-dimension σ fitted on the training data). Also the learner with other
 * sequence lengths and strides.
 *
 * <p>An experiment, not part of the build (its name is not a test's): {@code mvn -pl flink-train
 * test -Dtest=LearnerQualityExperiment} (a few minutes: the episodes are played and encoded once,
 * then cached under target/). Writes JSON lines to {@code target/learner-quality/}, which
 * docs/experiments/plot_learning_curves.py draws.
 */
class LearnerQualityExperiment {

  private static final int EPISODES = Integer.getInteger("quality.episodes", 48);
  private static final int WORKERS = 4;
  private static final int EVALUATION_LENGTH = 32;
  private static final int EVALUATE_EVERY = 200;
  private static final Path OUT = Path.of("target", "learner-quality");

  @Test
  void compareOnlineWithOfflineAndBaselines() throws Exception {
    Files.createDirectories(OUT);
    List<List<EpisodeStep>> episodes = episodes();
    List<List<EpisodeStep>> training = new ArrayList<>();
    List<TrainingSequence> heldOut = new ArrayList<>();
    for (List<EpisodeStep> episode : episodes) {
      if (Learner.heldOut(episode.get(0).episode, 10)) {
        heldOut.addAll(chunks(episode, EVALUATION_LENGTH));
      } else {
        training.add(episode);
      }
    }
    long steps = episodes.stream().mapToLong(List::size).sum();
    say(
        "%d episodes, %d steps; %d held out (%d sequences of %d for evaluation)",
        episodes.size(),
        steps,
        episodes.size() - training.size(),
        heldOut.size(),
        EVALUATION_LENGTH);

    try (PrintWriter curves =
            new PrintWriter(Files.newBufferedWriter(OUT.resolve("curves.jsonl")));
        NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(17);
      PublishedModel.Losses untrained = evaluate(manager, DjlMdnRnn.initialise(manager), heldOut);
      double persistence = persistenceNll(training, heldOut);
      double meanReward = meanRewardMse(training, heldOut);
      curves.println(
          json("untrained", 0, untrained.nll, untrained.rewardMse, untrained.doneBce, 0));
      curves.println(json("persistence", 0, persistence, meanReward, Double.NaN, 0));
      say(
          "untrained: NLL %.4f, reward MSE %.4f, done BCE %.4f; persistence NLL %.4f; mean-reward"
              + " MSE %.4f",
          untrained.nll, untrained.rewardMse, untrained.doneBce, persistence, meanReward);

      List<TrainingSequence> sequences = new ArrayList<>();
      Online online = online(manager, training, heldOut, 32, 16, sequences, curves);
      offline(manager, sequences, heldOut, online.gradientSteps, curves);
      for (int[] ls : new int[][] {{16, 8}, {64, 32}, {32, 32}}) {
        online(manager, training, heldOut, ls[0], ls[1], new ArrayList<>(), curves);
      }
    }
    assertThat(OUT.resolve("curves.jsonl")).isNotEmptyFile();
  }

  /**
   * The learner's published model (the running average of its weights) against its weights as
   * trained, on the same held-out episodes at every checkpoint of one online run: {@code mvn -pl
   * flink-train test -Dtest=LearnerQualityExperiment#compareTheAverageWithTheTrainedWeights}.
   */
  @Test
  void compareTheAverageWithTheTrainedWeights() throws Exception {
    Files.createDirectories(OUT);
    List<List<EpisodeStep>> training = new ArrayList<>();
    List<TrainingSequence> heldOut = new ArrayList<>();
    for (List<EpisodeStep> episode : episodes()) {
      if (Learner.heldOut(episode.get(0).episode, 10)) {
        heldOut.addAll(chunks(episode, EVALUATION_LENGTH));
      } else {
        training.add(episode);
      }
    }
    try (PrintWriter curves =
            new PrintWriter(Files.newBufferedWriter(OUT.resolve("average.jsonl")));
        NDManager manager = NDManager.newBaseManager()) {
      online(manager, training, heldOut, 32, 16, new ArrayList<>(), curves);
    }
    assertThat(OUT.resolve("average.jsonl")).isNotEmptyFile();
  }

  private record Online(long gradientSteps, double seconds) {}

  /** The learner fed the training episodes as four workers would produce them, step by step. */
  private Online online(
      NDManager manager,
      List<List<EpisodeStep>> training,
      List<TrainingSequence> heldOut,
      int length,
      int stride,
      List<TrainingSequence> emitted,
      PrintWriter curves)
      throws Exception {
    String label = "online L" + length + " S" + stride;
    LearnerSettings settings =
        LearnerSettings.builder()
            .heldOutPercent(0) // the held-out episodes are left out here already
            .heldOutCapacity(1)
            .checkpointEvery(EVALUATE_EVERY)
            .checkpointInterval(Duration.ofDays(1))
            .build();
    Engine.getInstance().setRandomSeed(17);
    Learner learner = new Learner(settings);
    long started = System.nanoTime();
    long trainNanos = 0;
    try (var assembler =
            ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SequenceAssembler(length, stride, 0, Duration.ofDays(1)),
                SequenceAssembler::key,
                Types.STRING);
        var harness =
            ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                learner, (TrainingSequence s) -> s.vaeVersion, Types.STRING)) {
      int fed = 0;
      int published = 0;
      for (EpisodeStep step : interleaved(training)) {
        assembler.processElement(step, 0);
        List<TrainingSequence> out = assembler.extractOutputValues();
        while (fed < out.size()) {
          TrainingSequence sequence = out.get(fed++);
          emitted.add(sequence);
          harness.processElement(sequence, 0);
          long t = System.nanoTime();
          harness.setProcessingTime(harness.getProcessingTime() + 1);
          harness.setProcessingTime(harness.getProcessingTime() + 1);
          trainNanos += System.nanoTime() - t;
          List<PublishedModel> models = harness.extractOutputValues();
          while (published < models.size()) {
            PublishedModel m = models.get(published++);
            PublishedModel.Losses l = evaluate(manager, learner.published("quality"), heldOut);
            PublishedModel.Losses trained = evaluate(manager, learner.model("quality"), heldOut);
            curves.println(json(label, m.gradientSteps, l.nll, l.rewardMse, l.doneBce, 0));
            curves.println(
                json(
                    label + " as trained",
                    m.gradientSteps,
                    trained.nll,
                    trained.rewardMse,
                    trained.doneBce,
                    0));
            curves.flush();
            say(
                "%s: %d gradient steps, held-out loss %.4f (NLL %.4f, reward MSE %.4f, done BCE"
                    + " %.4f); the weights as trained: %.4f (NLL %.4f, reward MSE %.4f)",
                label,
                m.gradientSteps,
                l.nll + l.rewardMse + l.doneBce,
                l.nll,
                l.rewardMse,
                l.doneBce,
                trained.nll + trained.rewardMse + trained.doneBce,
                trained.nll,
                trained.rewardMse);
          }
        }
      }
      long steps = learner.gradientSteps("quality");
      PublishedModel.Losses last = evaluate(manager, learner.published("quality"), heldOut);
      double seconds = (System.nanoTime() - started) / 1e9;
      say(
          "%s: %d sequences, final held-out NLL %.4f, reward MSE %.4f, done BCE %.4f; %.0f s in"
              + " all, %.0f s training",
          label, emitted.size(), last.nll, last.rewardMse, last.doneBce, seconds, trainNanos / 1e9);
      curves.println(
          json(label + " final", steps, last.nll, last.rewardMse, last.doneBce, trainNanos / 1e9));
      curves.flush();
      return new Online(steps, seconds);
    }
  }

  /** The same trainer over the same sequences in shuffled epochs, for the same gradient steps. */
  private void offline(
      NDManager manager,
      List<TrainingSequence> sequences,
      List<TrainingSequence> heldOut,
      long gradientSteps,
      PrintWriter curves) {
    LearnerSettings s = LearnerSettings.defaults();
    Engine.getInstance().setRandomSeed(17);
    MdnRnnTrainer trainer =
        new MdnRnnTrainer(
            manager, DjlMdnRnn.initialise(manager), s.learningRate(), s.maxGradNorm(), s.seed());
    Random random = new Random(5);
    List<TrainingSequence> epoch = new ArrayList<>();
    long t0 = System.nanoTime();
    for (long step = 1; step <= gradientSteps; step++) {
      List<TrainingSequence> batch = new ArrayList<>();
      while (batch.size() < s.batchSize()) {
        if (epoch.isEmpty()) {
          epoch.addAll(sequences);
          Collections.shuffle(epoch, random);
        }
        batch.add(epoch.remove(epoch.size() - 1));
      }
      trainer.step(Minibatches.of(batch));
      if (step % EVALUATE_EVERY == 0 || step == gradientSteps) {
        PublishedModel.Losses l = evaluate(manager, trainer.model(), heldOut);
        curves.println(json("offline", step, l.nll, l.rewardMse, l.doneBce, 0));
        curves.flush();
        say(
            "offline: %d gradient steps (%.1f epochs), held-out NLL %.4f",
            step, step * s.batchSize() / (double) sequences.size(), l.nll);
      }
    }
    PublishedModel.Losses last = evaluate(manager, trainer.model(), heldOut);
    curves.println(
        json(
            "offline final",
            gradientSteps,
            last.nll,
            last.rewardMse,
            last.doneBce,
            (System.nanoTime() - t0) / 1e9));
  }

  /** Held-out losses with the same z noise for every model. */
  private static PublishedModel.Losses evaluate(
      NDManager manager, DjlMdnRnn model, List<TrainingSequence> heldOut) {
    MdnRnnTrainer evaluator = new MdnRnnTrainer(manager, model, 0, 1, 99);
    return Minibatches.evaluate(evaluator, heldOut, 64);
  }

  /**
   * Persistence: z_{t+1} ~ N(z_t, σ_d²), σ_d fitted on the training transitions; z drawn from (μ,
   * log σ²) as in training. Per latent dimension, over the held-out transitions.
   */
  private static double persistenceNll(
      List<List<EpisodeStep>> training, List<TrainingSequence> heldOut) {
    Random random = new Random(3);
    double[] sumSq = new double[MdnSpec.LATENT];
    long n = 0;
    for (List<EpisodeStep> episode : training) {
      float[] previous = null;
      for (EpisodeStep step : episode) {
        float[] z = draw(step.mu, 0, step.logvar, random);
        if (previous != null) {
          for (int d = 0; d < MdnSpec.LATENT; d++) {
            sumSq[d] += Math.pow(z[d] - previous[d], 2);
          }
          n++;
        }
        previous = z;
      }
    }
    double[] variance = new double[MdnSpec.LATENT];
    for (int d = 0; d < MdnSpec.LATENT; d++) {
      variance[d] = sumSq[d] / n;
    }
    double nll = 0;
    long count = 0;
    for (TrainingSequence s : heldOut) {
      int known = s.length - (s.endsEpisode ? 1 : 0);
      float[] z = draw(s.mu, 0, s.logvar, random);
      for (int t = 0; t < known; t++) {
        float[] next = draw(s.mu, (t + 1) * MdnSpec.LATENT, s.logvar, random);
        for (int d = 0; d < MdnSpec.LATENT; d++) {
          double diff = next[d] - z[d];
          nll += 0.5 * Math.log(2 * Math.PI * variance[d]) + diff * diff / (2 * variance[d]);
        }
        count += MdnSpec.LATENT;
        z = next;
      }
    }
    return nll / count;
  }

  /** The reward MSE of always predicting the training data's mean reward. */
  private static double meanRewardMse(
      List<List<EpisodeStep>> training, List<TrainingSequence> heldOut) {
    double mean =
        training.stream().flatMap(List::stream).mapToDouble(s -> s.reward).average().orElse(0);
    double sum = 0;
    long n = 0;
    for (TrainingSequence s : heldOut) {
      for (int t = 0; t < s.length; t++) {
        sum += Math.pow(s.rewards[t] - mean, 2);
        n++;
      }
    }
    return sum / n;
  }

  private static float[] draw(float[] mu, int from, float[] logvar, Random random) {
    float[] z = new float[MdnSpec.LATENT];
    for (int d = 0; d < MdnSpec.LATENT; d++) {
      z[d] = (float) (mu[from + d] + Math.exp(0.5 * logvar[from + d]) * random.nextGaussian());
    }
    return z;
  }

  /** An episode in consecutive sequences of {@code length} transitions, the last one shorter. */
  private static List<TrainingSequence> chunks(List<EpisodeStep> episode, int length) {
    List<TrainingSequence> out = new ArrayList<>();
    for (int from = 0; from < episode.size() - 1; from += length) {
      out.add(
          TrainingSequence.of(episode.subList(from, Math.min(episode.size(), from + length + 1))));
    }
    return out;
  }

  /** The steps as {@link #WORKERS} workers produce them: each plays its episodes in turn. */
  private static List<EpisodeStep> interleaved(List<List<EpisodeStep>> episodes) {
    List<List<EpisodeStep>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(new ArrayList<>());
    }
    for (int i = 0; i < episodes.size(); i++) {
      workers.get(i % WORKERS).addAll(episodes.get(i));
    }
    List<EpisodeStep> out = new ArrayList<>();
    int longest = workers.stream().mapToInt(List::size).max().orElse(0);
    for (int t = 0; t < longest; t++) {
      for (List<EpisodeStep> worker : workers) {
        if (t < worker.size()) {
          out.add(worker.get(t));
        }
      }
    }
    return out;
  }

  /** Brownian CarRacing episodes encoded by the default VAE: played once, then read back. */
  private static List<List<EpisodeStep>> episodes() throws Exception {
    Path cache = OUT.resolve("latents-" + EPISODES + ".bin");
    if (Files.exists(cache)) {
      return read(cache);
    }
    long t0 = System.nanoTime();
    byte[] onnx = DefaultVae.encoder();
    say(
        "playing %d brownian episodes, encoding with VAE %s",
        EPISODES, ModelVersion.shortForm(ModelVersion.of(onnx)));
    List<List<EpisodeStep>> episodes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (VaeEncoder encoder = VaeEncoder.load(onnx, 1)) {
      List<Future<List<EpisodeStep>>> running = new ArrayList<>();
      for (int e = 0; e < EPISODES; e++) {
        int seed = 1_000 + e;
        running.add(pool.submit(() -> play(seed, encoder)));
      }
      for (Future<List<EpisodeStep>> episode : running) {
        episodes.add(episode.get());
        say(
            "  episode %d of %d: %d steps",
            episodes.size(), EPISODES, episodes.get(episodes.size() - 1).size());
      }
    } finally {
      pool.shutdownNow();
    }
    write(cache, episodes);
    say("played and encoded in %.0f s", (System.nanoTime() - t0) / 1e9);
    return episodes;
  }

  private static List<EpisodeStep> play(int seed, VaeEncoder encoder) {
    List<EpisodeStep> steps = new ArrayList<>();
    try (Environment env = Environments.make(CarRacing.ID, true, false)) {
      BrownianPolicy policy = new BrownianPolicy(env.actionSpec(), seed);
      var observation = env.reset(seed).observation();
      List<byte[]> frames = new ArrayList<>();
      boolean done = false;
      for (int t = 0; !done; t++) {
        Action action = policy.act(observation);
        Step step = env.step(action);
        EpisodeStep s = new EpisodeStep();
        s.episode = "brownian-" + seed;
        s.vaeVersion = "quality";
        s.step = t;
        s.action = new float[MdnSpec.ACTIONS];
        for (int a = 0; a < MdnSpec.ACTIONS; a++) {
          s.action[a] = (float) ((Action.Continuous) action).get(a);
        }
        s.reward = (float) step.reward();
        s.terminated = step.terminated();
        s.truncated = step.truncated();
        frames.add(observation.data());
        steps.add(s);
        observation = step.observation();
        done = step.done();
      }
      for (int from = 0; from < frames.size(); from += 256) {
        List<byte[]> part = frames.subList(from, Math.min(frames.size(), from + 256));
        VaeEncoder.Latents latents;
        synchronized (encoder) {
          latents = encoder.encodeObservations(part);
        }
        for (int i = 0; i < part.size(); i++) {
          EpisodeStep s = steps.get(from + i);
          s.mu =
              java.util.Arrays.copyOfRange(
                  latents.mu(), i * MdnSpec.LATENT, (i + 1) * MdnSpec.LATENT);
          s.logvar =
              java.util.Arrays.copyOfRange(
                  latents.logvar(), i * MdnSpec.LATENT, (i + 1) * MdnSpec.LATENT);
        }
      }
    }
    return steps;
  }

  private static void write(Path file, List<List<EpisodeStep>> episodes) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(episodes.size());
      for (List<EpisodeStep> episode : episodes) {
        out.writeInt(episode.size());
        for (EpisodeStep s : episode) {
          out.writeUTF(s.episode);
          out.writeLong(s.step);
          for (float[] v : new float[][] {s.mu, s.logvar, s.action}) {
            for (float x : v) {
              out.writeFloat(x);
            }
          }
          out.writeFloat(s.reward);
          out.writeBoolean(s.terminated);
          out.writeBoolean(s.truncated);
        }
      }
    }
  }

  private static List<List<EpisodeStep>> read(Path file) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      List<List<EpisodeStep>> episodes = new ArrayList<>();
      int count = in.readInt();
      for (int e = 0; e < count; e++) {
        int n = in.readInt();
        List<EpisodeStep> episode = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          EpisodeStep s = new EpisodeStep();
          s.episode = in.readUTF();
          s.vaeVersion = "quality";
          s.step = in.readLong();
          s.mu = floats(in, MdnSpec.LATENT);
          s.logvar = floats(in, MdnSpec.LATENT);
          s.action = floats(in, MdnSpec.ACTIONS);
          s.reward = in.readFloat();
          s.terminated = in.readBoolean();
          s.truncated = in.readBoolean();
          episode.add(s);
        }
        episodes.add(episode);
      }
      return episodes;
    }
  }

  private static float[] floats(DataInputStream in, int n) throws IOException {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }

  private static String json(
      String series, long steps, double nll, double rewardMse, double doneBce, double seconds) {
    return String.format(
        Locale.ROOT,
        "{\"series\": \"%s\", \"gradientSteps\": %d, \"nll\": %s, \"rewardMse\": %s,"
            + " \"doneBce\": %s, \"trainSeconds\": %.1f}",
        series,
        steps,
        number(nll),
        number(rewardMse),
        number(doneBce),
        seconds);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v) : "null";
  }

  private static void say(String format, Object... args) {
    System.out.printf(format + "%n", args);
    System.out.flush();
  }
}
