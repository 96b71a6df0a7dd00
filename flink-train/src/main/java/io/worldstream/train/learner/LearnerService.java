package io.worldstream.train.learner;

import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import io.worldstream.service.EffectiveConfiguration;
import io.worldstream.service.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The learner job as a service: in a Flink MiniCluster inside this process (loopback only), or
 * submitted to a Flink session cluster — the same job either way: the hashmap state backend,
 * checkpoints under the state directory, retained on cancel, and on start resumed from the newest
 * one there. Stopping the service cancels the job, on a cluster too.
 */
public final class LearnerService implements Service {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(LearnerService.class);

  /** How long a transaction of the exactly-once sinks may stay open (the broker allows 2 h). */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

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
    Optional<Path> resumeFrom = newestCheckpoint(settings.stateDir());
    int pruned = pruneJobDirectories(settings.stateDir(), resumeFrom, JOB_DIRECTORIES_KEPT);
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
        resumeFrom.isPresent() ? Map.of() : publishedVersions(kafka, Duration.ofMinutes(2));
    if (!publishedBefore.isEmpty()) {
      say.accept(
          "learner: no saved state in "
              + settings.stateDir()
              + "; numbering continues after the versions on wm.checkpoints "
              + new java.util.TreeMap<>(publishedBefore));
    }
    LearnerJob.build(env, source(), checkpointSink(), deadLetterSink(), settings, publishedBefore);
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
    progress.scheduleAtFixedRate(new Progress(every), every, every, TimeUnit.MILLISECONDS);
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

  /**
   * The newest version of each lineage on wm.checkpoints (records that do not decode are passed
   * over): where a learner that starts without state continues the numbering.
   *
   * @throws IllegalStateException if the topic is not read to its end within {@code timeout}
   */
  static Map<String, Long> publishedVersions(KafkaSettings kafka, Duration timeout) {
    Map<String, Long> newest = new HashMap<>();
    var values = Topics.CHECKPOINTS.valueSerde().deserializer();
    try (TopicReader<byte[], byte[]> reader =
        new TopicReader<>(
            kafka.clientConfig(),
            List.of(Topics.CHECKPOINTS.name()),
            TopicReader.From.BEGINNING,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reader.caughtUp()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read wm.checkpoints to its end in "
                  + EffectiveConfiguration.duration(timeout)
                  + " to continue its version numbers");
        }
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
          try {
            Checkpoint checkpoint = values.deserialize(Topics.CHECKPOINTS.name(), record.value());
            newest.merge(checkpoint.getLineage().toString(), checkpoint.getVersion(), Math::max);
          } catch (RuntimeException e) {
            log.warn("Passing over an unreadable checkpoint at offset {}: {}", record.offset(), e);
          }
        }
      }
    }
    return newest;
  }

  /**
   * Directories of earlier runs of the job kept under the state directory besides the one resumed
   * from: every start of the job checkpoints into a directory of its own.
   */
  static final int JOB_DIRECTORIES_KEPT = 2;

  private static final java.util.regex.Pattern JOB_ID =
      java.util.regex.Pattern.compile("[0-9a-f]{32}");

  /**
   * Deletes the directories earlier runs of the job left under {@code dir} (named by a Flink job
   * id), keeping the one {@code resumeFrom} lies in and the {@code kept} newest others.
   *
   * @return how many were deleted
   */
  static int pruneJobDirectories(Path dir, Optional<Path> resumeFrom, int kept) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Optional<Path> resumed = resumeFrom.map(p -> p.toAbsolutePath().normalize().getParent());
    try (Stream<Path> children = Files.list(dir)) {
      List<Path> older =
          children
              .map(p -> p.toAbsolutePath().normalize())
              .filter(Files::isDirectory)
              .filter(p -> JOB_ID.matcher(p.getFileName().toString()).matches())
              .filter(p -> resumed.map(r -> !r.equals(p)).orElse(true))
              .sorted(Comparator.comparingLong(LearnerService::modifiedAt).reversed())
              .skip(kept)
              .toList();
      for (Path job : older) {
        org.apache.flink.util.FileUtils.deleteDirectory(job.toFile());
      }
      return older.size();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove earlier job directories from " + dir, e);
    }
  }

  private static long modifiedAt(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The newest completed checkpoint under {@code dir} (a chk-N directory with its metadata). */
  static Optional<Path> newestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files =
        Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
      return files
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingLong(LearnerService::modified));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for checkpoints in " + dir, e);
    }
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private Properties clientProperties() {
    Properties properties = new Properties();
    kafka.client().forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
    return properties;
  }

  private KafkaSource<LatentInput> source() {
    return KafkaSource.<LatentInput>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setProperties(clientProperties())
        .setTopics(Topics.LATENTS.name())
        .setGroupId(settings.applicationId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .setDeserializer(new LatentDeserializer())
        .build();
  }

  private KafkaSink<PublishedModel> checkpointSink() {
    return KafkaSink.<PublishedModel>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setKafkaProducerConfig(producerProperties())
        .setRecordSerializer(new Publishing.Checkpoints())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(settings.applicationId() + "-checkpoints")
        .build();
  }

  private KafkaSink<LatentInput> deadLetterSink() {
    return KafkaSink.<LatentInput>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setKafkaProducerConfig(producerProperties())
        .setRecordSerializer(new Publishing.DeadLetters())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(settings.applicationId() + "-dead-letters")
        .build();
  }

  private Properties producerProperties() {
    Properties properties = clientProperties();
    properties.setProperty(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MODEL_MAX_MESSAGE_BYTES));
    properties.setProperty(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
    return properties;
  }

  /** The progress line: what came in and was trained since the last one, and the newest model. */
  private final class Progress implements Runnable {
    private final long everyMillis;
    private long sequences = LearnerStatus.sequences();
    private long steps = LearnerStatus.gradientSteps();

    Progress(long everyMillis) {
      this.everyMillis = everyMillis;
    }

    @Override
    public void run() {
      long s = LearnerStatus.sequences();
      long g = LearnerStatus.gradientSteps();
      double seconds = everyMillis / 1000.0;
      if (settings.flinkCluster().isPresent()) {
        // The learner's own figures live in the task manager: its metrics (group "learner") are in
        // the cluster's web UI and reporters.
        say.accept(
            String.format(
                "train: job %s on the cluster at %s, lag %s",
                status(), settings.flinkCluster().get(), lag()));
        return;
      }
      LearnerStatus.Published latest = LearnerStatus.latest();
      say.accept(
          String.format(
              "train: %.1f sequences/s in, %.1f gradient steps/s, replay %d/%d, lag %s, %s",
              (s - sequences) / seconds,
              (g - steps) / seconds,
              LearnerStatus.replayFill(),
              settings.learner().replayCapacity(),
              lag(),
              latest == null
                  ? "no checkpoint yet"
                  : String.format(
                      "%s v%d %.0f s old, train loss %.3f, held-out %s",
                      latest.lineage(),
                      latest.version(),
                      (System.currentTimeMillis() - latest.at()) / 1000.0,
                      latest.trainLoss(),
                      latest.heldOutLoss() == null
                          ? "-"
                          : String.format("%.3f", latest.heldOutLoss()))));
      sequences = s;
      steps = g;
    }

    /** Latents not yet read as of the job's last Flink checkpoint (when it commits offsets). */
    private String lag() {
      try {
        return new TopicAdmin(admin, Duration.ofSeconds(5))
                .lag(settings.applicationId(), Topics.LATENTS.name())
            + " latents";
      } catch (RuntimeException e) {
        return "unknown";
      }
    }
  }
}
