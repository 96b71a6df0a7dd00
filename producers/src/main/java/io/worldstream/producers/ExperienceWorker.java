package io.worldstream.producers;

import io.worldstream.envs.Action;
import io.worldstream.envs.Environment;
import io.worldstream.envs.Environments;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.Policy;
import io.worldstream.envs.policy.RandomPolicy;
import io.worldstream.records.ExperienceStep;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.Completion;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;

/**
 * An environment worker: N environments, one thread each, stepped under a policy, every step
 * published to {@code wm.experience} as an {@link ExperienceStep} keyed by a globally unique
 * episode id. {@link #stop()} ends every running episode with a step marked truncated, and {@link
 * #run()} returns once everything sent is acknowledged. As a {@link Service} it runs on a thread of
 * its own and is done when its episodes are.
 */
public final class ExperienceWorker implements Service {

  /** What a run did. */
  public record Summary(
      long episodes, long steps, double seconds, long frameBytes, double meanReturn) {
    public double stepsPerSecond() {
      return steps / seconds;
    }

    public double megabytesPerSecond() {
      return frameBytes / seconds / 1e6;
    }
  }

  private final WorkerSettings options;
  private final KafkaSettings kafka;
  private final Map<String, Object> kafkaConfig;
  private final Consumer<String> say;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicLong claimedEpisodes = new AtomicLong();
  private final AtomicLong finishedEpisodes = new AtomicLong();
  private final AtomicLong steps = new AtomicLong();
  private final DoubleAdder returns = new DoubleAdder();
  private volatile double lastReturn = Double.NaN;
  private final long firstSeed;
  private final SecureRandom seeds = new SecureRandom();
  private volatile ExperienceProducer publishing;
  private volatile Completion<Summary> running;

  /**
   * @param kafka how the producer and the controller feed reach Kafka
   * @param say where progress lines go
   */
  public ExperienceWorker(WorkerSettings options, KafkaSettings kafka, Consumer<String> say) {
    this.options = options;
    this.kafka = kafka;
    this.kafkaConfig = kafka.clientConfig();
    this.say = say;
    this.firstSeed = options.seed().orElse(-1);
    // Fail now, not in a thread, if the environment is unknown.
    Environments.maxEpisodeSteps(options.env());
  }

  /** Asks every environment to end its episode (as truncated) and the run to finish. */
  public void stop() {
    stopping.set(true);
  }

  @Override
  public String name() {
    return "worker";
  }

  @Override
  public Map<String, ?> configuration() {
    return EffectiveConfiguration.of(options, kafka);
  }

  /** Creates the topics that are missing, then runs on a thread of its own. */
  @Override
  public synchronized void start() {
    kafka.createMissingTopics();
    say.accept(
        String.format(
            "worker %s: %d × %s, policy %s, %s, publishing to %s",
            options.workerId(),
            options.envs(),
            options.env(),
            options.policy().id(),
            options.episodes().isEmpty()
                ? "until stopped"
                : options.episodes().getAsLong() + " episodes",
            kafka.bootstrapServers()));
    running = Completion.start("worker-" + options.workerId(), false, this::runAndReport);
  }

  private Summary runAndReport() throws InterruptedException {
    Summary done = run();
    say.accept(
        String.format(
            "worker %s: done: %d episodes, %d steps in %.1f s (%.0f steps/s, %.1f MB/s of frames),"
                + " mean return %.1f",
            options.workerId(),
            done.episodes(),
            done.steps(),
            done.seconds(),
            done.stepsPerSecond(),
            done.megabytesPerSecond(),
            done.meanReturn()));
    return done;
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

  /**
   * Ends running episodes as truncated and waits (up to {@code timeout}) until all is delivered.
   */
  @Override
  public void stop(Duration timeout) {
    Completion<Summary> run;
    synchronized (this) {
      run = running;
    }
    if (run == null || run.ended()) {
      return;
    }
    say.accept("worker " + options.workerId() + ": ending episodes as truncated and flushing…");
    stop();
    run.await(timeout);
  }

  /** Steps taken so far, published or on their way. */
  public long steps() {
    return steps.get();
  }

  /** Steps sent but not yet acknowledged by the broker. */
  public long backlog() {
    ExperienceProducer producer = publishing;
    return producer == null ? 0 : producer.backlog();
  }

  private ExperienceProducer publishing(ExperienceProducer producer) {
    publishing = producer;
    return producer;
  }

  /**
   * Runs until the episodes are done or {@link #stop()} is called, then flushes.
   *
   * @throws IllegalStateException if a step could not be delivered (data was lost)
   */
  public Summary run() throws InterruptedException {
    long started = System.nanoTime();
    try (ExperienceProducer producer =
            publishing(new ExperienceProducer(kafkaConfig, options.workerId()));
        ControllerFeed feed =
            options.policy() == WorkerSettings.Policy.CONTROLLER
                ? new ControllerFeed(kafkaConfig, options.lineage())
                : null;
        WorldModels models = feed == null ? null : new WorldModels(feed::checkpoint)) {
      if (feed != null && !feed.awaitCaughtUp(java.time.Duration.ofSeconds(30))) {
        say.accept(
            "worker "
                + options.workerId()
                + ": wm.controllers is slow to read; starting without waiting");
      }
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < options.envs(); i++) {
        int index = i;
        Thread thread = new Thread(() -> runEnvironment(index, producer, feed, models), "env-" + i);
        thread.setUncaughtExceptionHandler(
            (t, e) -> {
              say.accept("worker " + options.workerId() + ": " + t.getName() + " failed: " + e);
              stopping.set(true);
            });
        threads.add(thread);
        thread.start();
      }
      Progress progress = new Progress(producer, started);
      progress.start();
      for (Thread thread : threads) {
        thread.join();
      }
      producer.flush();
      progress.interrupt();
      progress.join();
      if (producer.failure() != null) {
        throw new IllegalStateException(
            "Kafka did not accept some steps within "
                + ExperienceProducer.DELIVERY_TIMEOUT.toMinutes()
                + " min: "
                + producer.failure().getMessage(),
            producer.failure());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long episodes = finishedEpisodes.get();
      return new Summary(
          episodes,
          steps.get(),
          seconds,
          producer.frameBytes(),
          episodes == 0 ? Double.NaN : returns.sum() / episodes);
    }
  }

  private void runEnvironment(
      int index, ExperienceProducer producer, ControllerFeed feed, WorldModels models) {
    try (Environment env =
            Environments.make(options.env(), true, false, options.maxEpisodeSteps());
        Policy policy = policy(env, index, feed, models)) {
      long pauseNanos =
          options.maxFps().isPresent() ? (long) (1e9 / options.maxFps().getAsDouble()) : 0;
      while (!stopping.get() && producer.failure() == null) {
        long episode = claimedEpisodes.getAndIncrement();
        if (options.episodes().isPresent() && episode >= options.episodes().getAsLong()) {
          return;
        }
        long seed =
            firstSeed >= 0
                ? EvaluationTracks.trainingSeed(firstSeed, episode)
                : EvaluationTracks.trainingSeed(seeds);
        ExperienceEpisode records = new ExperienceEpisode(options.workerId(), options.env(), seed);
        policy.reset();
        Pixels observation = env.reset(seed).observation();
        Instant observedAt = Instant.now();
        double episodeReturn = 0;
        long nextStepAt = System.nanoTime();
        for (int t = 0; ; t++) {
          String policyId = policy.id();
          long policyVersion = policy.version();
          Action action = policy.act(observation);
          Step step = env.step(action);
          boolean truncated = step.truncated() || (stopping.get() && !step.terminated());
          producer.send(
              records.step(
                  t, observation, action, step, truncated, policyId, policyVersion, observedAt));
          steps.incrementAndGet();
          episodeReturn += step.reward();
          if (step.terminated() || truncated) {
            break;
          }
          observation = step.observation();
          // Real time: the next frame becomes visible at the next tick, and is acted on and
          // published at once, so event time measures what the pipeline adds.
          if (pauseNanos > 0) {
            nextStepAt += pauseNanos;
            long wait = nextStepAt - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
          observedAt = Instant.now();
        }
        returns.add(episodeReturn);
        lastReturn = episodeReturn;
        finishedEpisodes.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Policy policy(Environment env, int index, ControllerFeed feed, WorldModels models) {
    long seed = firstSeed >= 0 ? firstSeed * 1_000 + index : seeds.nextLong();
    return switch (options.policy()) {
      case RANDOM -> new RandomPolicy(env.actionSpec(), seed);
      case BROWNIAN -> new BrownianPolicy(env.actionSpec(), seed);
      case CONTROLLER ->
          new ControllerPolicy(
              feed::latest,
              models,
              new BrownianPolicy(env.actionSpec(), seed),
              options.exploration().noise(new SplittableRandom(seed ^ 0x5DEECE66DL)),
              message -> {
                if (index == 0) {
                  say.accept("worker " + options.workerId() + ": " + message);
                }
              });
    };
  }

  /** Prints a progress line every interval. */
  private final class Progress extends Thread {
    private final ExperienceProducer producer;
    private final long started;

    Progress(ExperienceProducer producer, long started) {
      super("worker-progress");
      setDaemon(true);
      this.producer = producer;
      this.started = started;
    }

    @Override
    public void run() {
      long lastSteps = 0;
      long lastBytes = 0;
      long lastTime = started;
      try {
        while (!isInterrupted()) {
          Thread.sleep(options.progressInterval().toMillis());
          long now = System.nanoTime();
          long s = steps.get();
          long b = producer.frameBytes();
          double dt = (now - lastTime) / 1e9;
          long episodes = finishedEpisodes.get();
          say.accept(
              String.format(
                  "worker %s: %d episodes, %d steps, %.0f steps/s, %.1f MB/s, return mean %s last %s, backlog %d steps",
                  options.workerId(),
                  episodes,
                  s,
                  (s - lastSteps) / dt,
                  (b - lastBytes) / dt / 1e6,
                  episodes == 0 ? "-" : String.format("%.1f", returns.sum() / episodes),
                  Double.isNaN(lastReturn) ? "-" : String.format("%.1f", lastReturn),
                  producer.backlog()));
          lastSteps = s;
          lastBytes = b;
          lastTime = now;
        }
      } catch (InterruptedException e) {
        // done
      }
    }
  }
}
