package io.worldstream.bench.train;

import io.worldstream.bench.Figures;
import io.worldstream.bench.Quantiles;
import io.worldstream.bench.Scratch;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.train.learner.Learner;
import io.worldstream.train.learner.LearnerService;
import io.worldstream.train.learner.LearnerStatus;
import io.worldstream.train.learner.TrainSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * How soon experience reaches a published model: latents are written live, as workers and the
 * encoder would (several episodes at a time, each at a steady step rate), to an in-process broker;
 * the learner runs with the embedded defaults. For every latent, freshness is the time from its
 * write being acknowledged to the first checkpoint that a read_committed reader can see whose
 * gradient steps included a minibatch holding it. The same-run baseline is how long the latent took
 * to reach the learner at all, inside a training sequence: the part no training schedule can
 * shorten.
 */
public final class FreshnessBenchmark {

  /**
   * @param episodesAtOnce episodes written at the same time
   * @param stepsPerSecond each episode's step rate
   * @param episodeSteps steps of an episode
   * @param seconds how long latents are written
   */
  public record Settings(
      int episodesAtOnce, double stepsPerSecond, int episodeSteps, double seconds) {
    public Settings {
      InvalidSettingException.atLeast("episodes-at-once", "episodes", episodesAtOnce, 1);
      InvalidSettingException.atLeast("episode-steps", "steps per episode", episodeSteps, 2);
      if (!(stepsPerSecond > 0) || !(seconds > 30)) {
        throw new InvalidSettingException(
            "seconds", "need a positive step rate and more than 30 s of writing");
      }
    }
  }

  /** Latents written in the last this-long are left out: their checkpoint may not have come. */
  private static final Duration TAIL = Duration.ofSeconds(30);

  private final Settings settings;
  private final PrintWriter out;
  private volatile boolean stopping;

  public FreshnessBenchmark(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  private record Visible(long gradientSteps, long at) {}

  public Figures run() throws Exception {
    Path scratch = Scratch.directory("freshness");
    List<LearnerStatus.SequenceEvent> events = Collections.synchronizedList(new ArrayList<>());
    Map<String, Long> written = new ConcurrentHashMap<>();
    List<Visible> visible = Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      TrainSettings train = TrainSettings.defaults(scratch);
      say(
          "learner: embedded defaults (sequences of %d every %d steps, a checkpoint every %d"
              + " gradient steps or %d s, Flink checkpoints every %d s)",
          train.sequenceLength(),
          train.sequenceStride(),
          train.learner().checkpointEvery(),
          train.learner().checkpointInterval().toSeconds(),
          train.flinkCheckpointInterval().toSeconds());
      LearnerStatus.trace(events::add);
      LearnerService learner = new LearnerService(kafka, train, line -> say("  %s", line));
      learner.start();
      Thread reader = new Thread(() -> readCheckpoints(kafka, visible), "bench-checkpoints");
      reader.setDaemon(true);
      reader.start();
      long started = System.currentTimeMillis();
      try {
        write(kafka, written);
        Thread.sleep(TAIL.toMillis());
      } finally {
        stopping = true;
        reader.join(10_000);
        learner.stop(Duration.ofSeconds(30));
        LearnerStatus.trace(null);
      }
      return figures(started, events, written, visible);
    } finally {
      Scratch.delete(scratch);
    }
  }

  private Figures figures(
      long started,
      List<LearnerStatus.SequenceEvent> events,
      Map<String, Long> written,
      List<Visible> visible) {
    List<Visible> checkpoints = new ArrayList<>(visible);
    checkpoints.sort(Comparator.comparingLong(Visible::gradientSteps));
    Map<String, List<LearnerStatus.SequenceEvent>> byEpisode = new HashMap<>();
    synchronized (events) {
      for (var e : events) {
        byEpisode.computeIfAbsent(e.episode(), k -> new ArrayList<>()).add(e);
      }
    }
    long cutoff = started + (long) (settings.seconds() * 1000) - TAIL.toMillis();
    List<Long> fresh = new ArrayList<>();
    List<Long> arrived = new ArrayList<>();
    int counted = 0;
    int untrained = 0;
    for (var latent : written.entrySet()) {
      String[] key = latent.getKey().split("/");
      String episode = key[0];
      long step = Long.parseLong(key[1]);
      long at = latent.getValue();
      if (at > cutoff || Learner.heldOut(episode, 10)) {
        continue;
      }
      counted++;
      long firstIn = Long.MAX_VALUE;
      long firstStep = Long.MAX_VALUE;
      for (var e : byEpisode.getOrDefault(episode, List.of())) {
        if (e.firstStep() <= step && step <= e.lastStep()) {
          if (e.sampled()) {
            firstStep = Math.min(firstStep, e.gradientStep());
          } else {
            firstIn = Math.min(firstIn, e.at());
          }
        }
      }
      if (firstIn != Long.MAX_VALUE) {
        arrived.add(firstIn - at);
      }
      long seen = Long.MAX_VALUE;
      for (Visible v : checkpoints) {
        if (v.gradientSteps() >= firstStep) {
          seen = Math.min(seen, v.at());
        }
      }
      if (seen == Long.MAX_VALUE) {
        untrained++;
      } else {
        fresh.add(seen - at);
      }
    }
    Quantiles freshness = new Quantiles(fresh.stream().mapToLong(Long::longValue).toArray());
    Quantiles reached = new Quantiles(arrived.stream().mapToLong(Long::longValue).toArray());
    say(
        "%d latents counted (trained episodes, written before the last %d s), %d in no visible"
            + " checkpoint yet; %d checkpoints",
        counted, TAIL.toSeconds(), untrained, checkpoints.size());
    Figures figures =
        new Figures()
            .add(
                "train.freshness-p50",
                freshness.at(0.5) / 1000.0,
                "s",
                "in-learner-p50",
                reached.at(0.5) / 1000.0)
            .add(
                "train.freshness-p90",
                freshness.at(0.9) / 1000.0,
                "s",
                "in-learner-p90",
                reached.at(0.9) / 1000.0);
    figures.print(out);
    return figures;
  }

  /**
   * Writes the episodes live, each at its step rate, recording when each write was acknowledged.
   */
  private void write(KafkaSettings kafka, Map<String, Long> written) throws InterruptedException {
    Random random = new Random(11);
    long periodNanos = (long) (1e9 / settings.stepsPerSecond());
    int[] step = new int[settings.episodesAtOnce()];
    int[] episode = new int[settings.episodesAtOnce()];
    for (int i = 0; i < episode.length; i++) {
      episode[i] = i;
    }
    int nextEpisode = episode.length;
    long end = System.nanoTime() + (long) (settings.seconds() * 1e9);
    long tick = System.nanoTime();
    try (var producer =
        new KafkaProducer<>(
            kafka.clientConfig(),
            Topics.LATENTS.keySerde().serializer(),
            Topics.LATENTS.valueSerde().serializer())) {
      while (System.nanoTime() < end) {
        for (int i = 0; i < episode.length; i++) {
          String id = "fresh-" + episode[i];
          int t = step[i];
          boolean last = t == settings.episodeSteps() - 1;
          String key = id + "/" + t;
          producer.send(
              new ProducerRecord<>(
                  Topics.LATENTS.name(), id, SyntheticLatents.step(random, id, t, last)),
              (metadata, error) -> {
                if (error == null) {
                  written.put(key, System.currentTimeMillis());
                }
              });
          step[i]++;
          if (last) {
            episode[i] = nextEpisode++;
            step[i] = 0;
          }
        }
        tick += periodNanos;
        long wait = tick - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    say("latents: %d written in %.0f s", written.size(), settings.seconds());
  }

  /** Notes when each checkpoint becomes visible to a read_committed reader. */
  private void readCheckpoints(KafkaSettings kafka, List<Visible> visible) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer =
        new KafkaConsumer<>(
            config,
            Topics.CHECKPOINTS.keySerde().deserializer(),
            Topics.CHECKPOINTS.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CHECKPOINTS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stopping) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          Checkpoint c = (Checkpoint) record.value();
          visible.add(new Visible(c.getGradientSteps(), System.currentTimeMillis()));
        }
      }
    }
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }
}
