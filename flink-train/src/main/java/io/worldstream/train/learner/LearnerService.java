package io.worldstream.train.learner;

import io.worldstream.schemas.KafkaSettings;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;

/**
 * The learner job as a service: in a Flink MiniCluster inside this process (loopback only), or
 * submitted to a Flink session cluster — the same job either way: the hashmap state backend,
 * checkpoints under the state directory, retained on cancel, and on start resumed from the newest
 * one there. Stopping the service cancels the job, on a cluster too.
 */
public final class LearnerService implements Service {

  private final KafkaSettings kafka;
  private final TrainSettings settings;
  private final Consumer<String> say;
  private volatile JobClient job;
  private volatile Throwable failure;
  private ScheduledExecutorService progress;
  private Admin admin;

  public LearnerService(KafkaSettings kafka, TrainSettings settings, Consumer<String> say) {
    this.kafka = kafka;
    this.settings = settings;
    this.say = say;
  }

  @Override
  public String name() {
    return "learner";
  }

  @Override
  public Map<String, ?> configuration() {
    return EffectiveConfiguration.of(settings, kafka);
  }

  @Override
  public void start() throws Exception {
    kafka.createMissingTopics();
    Optional<Path> resumeFrom = JobStateDirectory.newestCheckpoint(settings.stateDir());
    int pruned =
        JobStateDirectory.pruneRuns(settings.stateDir(), resumeFrom, JobStateDirectory.RUNS_KEPT);
    if (pruned > 0) {
      say.accept(
          "learner: removed "
              + pruned
              + " directories of earlier runs of the job from "
              + settings.stateDir());
    }
    StreamExecutionEnvironment env =
        settings
            .flinkCluster()
            .map(TrainSettings::clusterAddress)
            .map(
                cluster ->
                    StreamExecutionEnvironment.createRemoteEnvironment(
                        cluster.getHostString(), cluster.getPort(), flinkConfiguration(resumeFrom)))
            .orElseGet(
                () ->
                    StreamExecutionEnvironment.createLocalEnvironment(
                        1, flinkConfiguration(resumeFrom)));
    Map<String, Long> publishedBefore =
        resumeFrom.isPresent()
            ? Map.of()
            : LearnerEnds.publishedVersions(kafka, Duration.ofMinutes(2));
    if (!publishedBefore.isEmpty()) {
      say.accept(
          "learner: no saved state in "
              + settings.stateDir()
              + "; numbering continues after the versions on wm.checkpoints "
              + new java.util.TreeMap<>(publishedBefore));
    }
    LearnerEnds ends = new LearnerEnds(kafka, settings.applicationId());
    LearnerJob.build(
        env, ends.latents(), ends.checkpoints(), ends.deadLetters(), settings, publishedBefore);
    job = env.executeAsync("worldstream learner");
    progress =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "learner-progress");
              thread.setDaemon(true);
              return thread;
            });
    admin = kafka.connectedAdmin();
    long every = settings.progressInterval().toMillis();
    progress.scheduleAtFixedRate(
        new ProgressLine(settings, admin, this::status, say), every, every, TimeUnit.MILLISECONDS);
    say.accept(
        "learner: Flink job "
            + job.getJobID()
            + settings.flinkCluster().map(c -> " on the cluster at " + c).orElse("")
            + (resumeFrom.map(p -> " resumed from " + p).orElse(" started afresh"))
            + "; checkpoints every "
            + EffectiveConfiguration.duration(settings.flinkCheckpointInterval())
            + " in "
            + settings.stateDir());
  }

  @Override
  public boolean isReady() {
    return status() == JobStatus.RUNNING;
  }

  @Override
  public Optional<Throwable> failure() {
    JobStatus status = status();
    if (failure == null && status != null && status.isGloballyTerminalState()) {
      failure =
          new IllegalStateException(
              "the Flink job ended (" + status + "); run it again to resume from its checkpoint");
    }
    return Optional.ofNullable(failure);
  }

  /** Cancels the job; its last checkpoint stays for the next start. */
  @Override
  public void stop(Duration timeout) {
    if (progress != null) {
      progress.shutdownNow();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
    JobClient running = job;
    if (running == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      running.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      say.accept("learner: the Flink job did not cancel cleanly: " + e.getMessage());
    }
    // A cancel is acknowledged before the task has left its training step; the JVM must not exit
    // while the step is still inside libtorch (seen: SIGSEGV on exit). The result completes once
    // every task has ended.
    try {
      running
          .getJobExecutionResult()
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      // cancelled, as asked
    } catch (java.util.concurrent.TimeoutException e) {
      say.accept(
          "learner: the Flink job had not ended " + timeout.toSeconds() + " s after the cancel");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    job = null;
  }

  private JobStatus status() {
    JobClient running = job;
    if (running == null) {
      return null;
    }
    try {
      return running.getJobStatus().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  private Configuration flinkConfiguration(Optional<Path> resumeFrom) {
    Map<String, String> conf = new HashMap<>();
    conf.put(
        "execution.checkpointing.interval", settings.flinkCheckpointInterval().toMillis() + " ms");
    conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.put(
        "execution.checkpointing.dir", settings.stateDir().toAbsolutePath().toUri().toString());
    conf.put("execution.checkpointing.num-retained", "2");
    conf.put("state.backend.type", "hashmap");
    // Every type in the job has Flink's own serializer; Kryo would be a mistake.
    conf.put("pipeline.generic-types", "false");
    if (settings.flinkCluster().isEmpty()) {
      // Embedded: nothing of it listens beyond this machine.
      conf.put("jobmanager.bind-host", "127.0.0.1");
      conf.put("taskmanager.bind-host", "127.0.0.1");
      conf.put("taskmanager.host", "127.0.0.1");
      conf.put("rest.bind-address", "127.0.0.1");
      conf.put("rest.address", "127.0.0.1");
    }
    conf.put("restart-strategy.type", "fixed-delay");
    conf.put("restart-strategy.fixed-delay.attempts", "3");
    conf.put("restart-strategy.fixed-delay.delay", "2 s");
    resumeFrom.ifPresent(
        path -> conf.put("execution.state-recovery.path", path.toUri().toString()));
    return Configuration.fromMap(conf);
  }
}
