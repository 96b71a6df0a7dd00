package io.worldstream.app;

import io.worldstream.envs.Environments;
import io.worldstream.producers.ExperienceWorker;
import io.worldstream.producers.WorkerOptions;
import io.worldstream.schemas.TopicAdmin;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code worldstream worker}: environments feeding live experience into Kafka. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Steps environments under a policy and publishes every step to wm.experience.",
      "Several workers, in any number of processes or machines, can feed the same topic.",
      "Ctrl-C ends running episodes as truncated and waits until every step is delivered."
    })
public final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--envs",
      paramLabel = "N",
      defaultValue = "1",
      description = "Environments, one thread each (default: ${DEFAULT-VALUE}).")
  int envs;

  @Option(
      names = "--policy",
      paramLabel = "P",
      defaultValue = "brownian",
      description = "random, brownian or controller (default: ${DEFAULT-VALUE}).")
  String policy;

  static final class Length {
    @Option(
        names = "--episodes",
        paramLabel = "E",
        required = true,
        description = "Episodes to run in all.")
    Long episodes;

    @Option(names = "--forever", required = true, description = "Run until Ctrl-C.")
    boolean forever;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Length length;

  @Option(
      names = "--max-fps",
      paramLabel = "F",
      description = "Steps per second per environment at most (real time is 50).")
  Double maxFps;

  @Option(
      names = "--env",
      paramLabel = "ID",
      defaultValue = "CarRacing-v3",
      description = "Environment (default: ${DEFAULT-VALUE}).")
  String envId;

  @Option(
      names = "--max-episode-steps",
      paramLabel = "T",
      description = "Time limit per episode (default: the environment's, 1000).")
  Integer maxEpisodeSteps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the first episode; later ones count up (default: random).")
  Long seed;

  @Option(
      names = "--lineage",
      paramLabel = "NAME",
      defaultValue = "default",
      description =
          "Model lineage whose controllers --policy controller follows (default: ${DEFAULT-VALUE}).")
  String lineage;

  @Option(
      names = "--progress",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often to print progress (default: ${DEFAULT-VALUE}).")
  Duration progress;

  @Override
  public Integer call() throws Exception {
    WorkerOptions options;
    try {
      options =
          new WorkerOptions(
              envId,
              envs,
              policy,
              length.forever ? OptionalLong.empty() : OptionalLong.of(length.episodes),
              maxFps == null ? OptionalDouble.empty() : OptionalDouble.of(maxFps),
              maxEpisodeSteps == null ? Environments.maxEpisodeSteps(envId) : maxEpisodeSteps,
              seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
              workerId(),
              lineage,
              progress);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), Worldstream.USAGE, e);
    }
    var out = spec.commandLine().getOut();
    try (Admin admin = kafka.connectedAdmin()) {
      new TopicAdmin(admin, kafka.connectTimeout()).createMissing(Optional.empty());
    }
    ExperienceWorker worker =
        new ExperienceWorker(
            options,
            kafka.clientConfig(),
            line -> {
              out.println(line);
              out.flush();
            });
    out.printf(
        "worker %s: %d × %s, policy %s, %s, publishing to %s%n",
        options.workerId(),
        envs,
        envId,
        policy,
        length.forever ? "until Ctrl-C" : length.episodes + " episodes",
        kafka.bootstrapServers());
    out.flush();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println(
                  "worker "
                      + options.workerId()
                      + ": stopping; ending episodes as truncated and flushing…");
              out.flush();
              worker.stop();
              try {
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ExperienceWorker.Summary summary = worker.run();
      out.printf(
          "worker %s: done: %d episodes, %d steps in %.1f s (%.0f steps/s, %.1f MB/s of frames), mean return %.1f%n",
          options.workerId(),
          summary.episodes(),
          summary.steps(),
          summary.seconds(),
          summary.stepsPerSecond(),
          summary.megabytesPerSecond(),
          summary.meanReturn());
      out.flush();
      return 0;
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  /** Host, process id and a random suffix: unique across processes and machines. */
  private static String workerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "host";
    }
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    byte[] suffix = new byte[2];
    ThreadLocalRandom.current().nextBytes(suffix);
    return host.replaceAll("[^A-Za-z0-9.-]", "")
        + "-"
        + pid
        + "-"
        + HexFormat.of().formatHex(suffix);
  }
}
