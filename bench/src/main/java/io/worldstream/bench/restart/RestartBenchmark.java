package io.worldstream.bench.restart;

import io.worldstream.bench.Backlog;
import io.worldstream.bench.Figures;
import io.worldstream.bench.Scratch;
import io.worldstream.broker.EmbeddedKafkaBroker;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.producers.ExperienceProducer;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How soon a part killed in mid-stream (SIGKILL: no chance to leave its group, commit or cancel) is
 * at work again when started on the same state: the encoder, the learner and the evaluator, each a
 * `worldstream` process of its own beside an in-process broker and a steady stream of CarRacing
 * experience. "At work" is the first thing it publishes or commits after the start: a latent for
 * the encoder, a consumer-offset commit (which comes with a Flink checkpoint) for the learner, a
 * CMA-ES generation's report for the evaluator. The baseline, in the same run, is the same part's
 * first start: its JVM, models and Kafka clients coming up from nothing.
 */
public final class RestartBenchmark {

  /**
   * @param stepsPerSecond experience written per second while the parts run
   * @param runBeforeKill how long each part works before it is killed
   */
  public record Settings(double stepsPerSecond, Duration runBeforeKill) {}

  private final Settings settings;
  private volatile boolean stopping;
  private final Function<List<String>, ProcessBuilder> worldstream;
  private final PrintWriter out;

  /**
   * @param worldstream a process running the `worldstream` command with these arguments
   */
  public RestartBenchmark(
      Settings settings, Function<List<String>, ProcessBuilder> worldstream, PrintWriter out) {
    this.settings = settings;
    this.worldstream = worldstream;
    this.out = out;
  }

  /** A record seen: when its writer says it wrote it, when it was seen, and its writer's slot. */
  private record Arrival(long writtenAt, long seenAt, int slot) {}

  private static final int SLOTS = 4;

  public Figures run() throws Exception {
    Path scratch = Scratch.directory("restart");
    List<Process> running = new CopyOnWriteArrayList<>();
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(scratch.resolve("kafka"), 0))) {
      KafkaSettings kafka = KafkaSettings.at(broker.bootstrapServers());
      kafka.createMissingTopics();
      List<Arrival> latents = new CopyOnWriteArrayList<>();
      List<Arrival> reports = new CopyOnWriteArrayList<>();
      List<Thread> background = new ArrayList<>();
      background.add(daemon("bench-experience", () -> writeExperience(kafka)));
      background.add(
          daemon(
              "bench-latents",
              () ->
                  follow(
                      kafka,
                      Topics.LATENTS.name(),
                      bytes -> {
                        var latent =
                            Topics.LATENTS.valueSerde().deserializer().deserialize(null, bytes);
                        return new Arrival(
                            latent.getEncodeTime().toEpochMilli(),
                            System.currentTimeMillis(),
                            Integer.parseInt(latent.getEpisodeId().split("-")[1]));
                      },
                      latents)));
      background.add(
          daemon(
              "bench-evaluations",
              () ->
                  follow(
                      kafka,
                      Topics.EVALUATIONS.name(),
                      bytes ->
                          new Arrival(
                              Topics.EVALUATIONS
                                  .valueSerde()
                                  .deserializer()
                                  .deserialize(null, bytes)
                                  .getCreatedTime()
                                  .toEpochMilli(),
                              System.currentTimeMillis(),
                              0),
                      reports)));
      background.forEach(Thread::start);
      String servers = kafka.bootstrapServers();
      Figures figures = new Figures();
      try {
        List<String> encode =
            List.of("encode", "-b", servers, "--data-dir", scratch.resolve("encoder").toString());
        measure(
            figures,
            "encoder",
            encode,
            scratch,
            running,
            () -> (since, log) -> everySlotAfter(latents, since));
        List<String> train =
            List.of("train", "-b", servers, "--data-dir", scratch.resolve("learner").toString());
        measure(
            figures,
            "learner",
            train,
            scratch,
            running,
            () ->
                (since, log) ->
                    Files.readString(log).contains("Lineage vae-")
                        ? System.currentTimeMillis()
                        : -1);
        List<String> evaluate =
            List.of(
                "evaluate",
                "-b",
                servers,
                "--population",
                "16",
                "--rollouts",
                "2",
                "--horizon",
                "300",
                "--real-check-every",
                "0");
        measure(
            figures,
            "evaluator",
            evaluate,
            scratch,
            running,
            () -> (since, log) -> firstAfter(reports, since));
      } finally {
        for (Process p : running) {
          p.destroy();
        }
        for (Process p : running) {
          p.waitFor(60, TimeUnit.SECONDS);
        }
        stopping = true;
        for (Thread t : background) {
          t.join(10_000);
        }
      }
      figures.print(out);
      return figures;
    } finally {
      Scratch.delete(scratch);
    }
  }

  /** When a part was at work again after {@code since}, ms since the epoch (or -1: not yet). */
  private interface AtWork {
    long after(long since, Path log) throws Exception;
  }

  /**
   * Starts a part, waits until it is at work (the baseline), lets it run, kills it, starts it again
   * on the same state and waits until it is at work again. The restarted process keeps running.
   */
  private void measure(
      Figures figures,
      String part,
      List<String> args,
      Path scratch,
      List<Process> running,
      java.util.function.Supplier<AtWork> atWork)
      throws Exception {
    AtWork firstWork = atWork.get();
    long started = System.currentTimeMillis();
    Process first = start(part + "-first", args, scratch, running);
    double cold = awaitWork(part, first, firstWork, started, scratch.resolve(part + "-first.log"));
    say("%s: first start at work after %.1f s", part, cold);
    Thread.sleep(settings.runBeforeKill().toMillis());
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);
    running.remove(first);
    AtWork again = atWork.get();
    long restarted = System.currentTimeMillis();
    Process second = start(part + "-restart", args, scratch, running);
    double warm = awaitWork(part, second, again, restarted, scratch.resolve(part + "-restart.log"));
    say("%s: killed, started again: at work after %.1f s", part, warm);
    figures.add("restart." + part, warm, "s", part + "-first-start", cold);
  }

  private double awaitWork(String part, Process process, AtWork atWork, long since, Path log)
      throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    while (System.currentTimeMillis() < deadline) {
      long at = atWork.after(since, log);
      if (at >= 0) {
        return (at - since) / 1000.0;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            part + " exited (" + process.exitValue() + "):\n" + tail(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(part + " was not at work within 5 minutes:\n" + tail(log));
  }

  private Process start(String name, List<String> args, Path scratch, List<Process> running)
      throws IOException {
    ProcessBuilder builder = worldstream.apply(args);
    builder.redirectErrorStream(true).redirectOutput(scratch.resolve(name + ".log").toFile());
    Process process = builder.start();
    running.add(process);
    return process;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /**
   * When latents written after {@code since} had been seen from every episode being played (each
   * lands on its own partition): the encoder is at work on all of its input, not on a part of it.
   */
  private static long everySlotAfter(List<Arrival> arrivals, long since) {
    long latest = -1;
    for (int slot = 0; slot < SLOTS; slot++) {
      int s = slot;
      long first =
          arrivals.stream()
              .filter(a -> a.slot() == s && a.writtenAt() >= since)
              .mapToLong(Arrival::seenAt)
              .min()
              .orElse(-1);
      if (first < 0) {
        return -1;
      }
      latest = Math.max(latest, first);
    }
    return latest;
  }

  private static long firstAfter(List<Arrival> arrivals, long since) {
    return arrivals.stream()
        .filter(a -> a.writtenAt() >= since)
        .mapToLong(Arrival::seenAt)
        .min()
        .orElse(-1);
  }

  /** Notes when each new record of a topic is seen, with the time it says it was written. */
  private void follow(
      KafkaSettings kafka,
      String topic,
      java.util.function.Function<byte[], Arrival> arrival,
      List<Arrival> arrivals) {
    try (TopicReader<String, byte[]> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(topic),
            TopicReader.From.END,
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      while (!stopping) {
        for (var record : reader.poll(Duration.ofMillis(100))) {
          arrivals.add(arrival.apply(record.value()));
        }
      }
    }
  }

  /** CarRacing frames written at a steady rate in episodes of 1,000 steps, four at a time. */
  private void writeExperience(KafkaSettings kafka) {
    List<byte[]> frames = Backlog.carRacingFrames(200);
    Random random = new Random(5);
    long periodNanos = (long) (1e9 * 4 / settings.stepsPerSecond());
    String[] episodes = new String[SLOTS];
    int step = 0;
    try (ExperienceProducer producer = new ExperienceProducer(kafka.clientConfig(), "bench")) {
      long tick = System.nanoTime();
      while (!stopping) {
        int t = step % 1000;
        for (int e = 0; e < episodes.length; e++) {
          if (t == 0) {
            episodes[e] = "restart-" + e + "-" + java.util.UUID.randomUUID();
          }
          producer.send(
              ExperienceStep.newBuilder()
                  .setEpisodeId(episodes[e])
                  .setWorkerId("bench")
                  .setEnvId(CarRacing.ID)
                  .setEnvSeed(e)
                  .setStep(t)
                  .setFrame(
                      new Frame(
                          VaeSpec.OBSERVATION_HEIGHT,
                          VaeSpec.OBSERVATION_WIDTH,
                          VaeSpec.OBSERVATION_CHANNELS,
                          ByteBuffer.wrap(frames.get(random.nextInt(frames.size())))))
                  .setAction(List.of((float) random.nextGaussian() * 0.5f, 0.5f, 0f))
                  .setReward(-0.1)
                  .setTerminated(false)
                  .setTruncated(t == 999)
                  .setPolicyId("brownian")
                  .setPolicyVersion(0)
                  .setEventTime(Instant.now())
                  .build());
        }
        step++;
        tick += periodNanos;
        long wait = tick - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private void say(String format, Object... args) {
    out.printf(format + "%n", args);
    out.flush();
  }
}
