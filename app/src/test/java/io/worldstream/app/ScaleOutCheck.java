package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.broker.KafkaClusterNode;
import io.worldstream.records.Checkpoint;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worldstream scaled out, without Docker: a three-node KRaft Kafka cluster and a Flink standalone
 * session cluster (a job manager and two task managers, from Flink's own entry points) as separate
 * processes; the training job submitted to the cluster, two encoder instances and two workers
 * against it. After the loop runs, one broker and the task manager running the learner are killed
 * (SIGKILL); the loop goes on, and in the end every step the workers published was encoded exactly
 * once and the checkpoint versions run 1, 2, 3, … without a repeat or a gap.
 *
 * <p>Heavy (eleven JVMs): not part of {@code mvn verify}. After {@code mvn install -DskipTests},
 * run it with {@code mvn -pl app verify -Pscale-out -Dit.test=ScaleOutCheck -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false} (or {@code mvn -Pscale-out verify} for everything).
 */
class ScaleOutCheck {

  @TempDir Path dir;
  private final Map<String, Process> processes = new LinkedHashMap<>();

  @AfterEach
  void stopAll() throws Exception {
    List<Process> all = new ArrayList<>(processes.values());
    java.util.Collections.reverse(all);
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void runsTheLoopOnClustersAndLosesNothingWhenABrokerAndATaskManagerDie() throws Exception {
    // Kafka: three nodes, each broker and controller.
    int[] ports = freePorts(9);
    String clusterId = Uuid.randomUuid().toString();
    String voters =
        "1@127.0.0.1:" + ports[3] + ",2@127.0.0.1:" + ports[4] + ",3@127.0.0.1:" + ports[5];
    for (int n = 1; n <= 3; n++) {
      start(
          "kafka-" + n,
          java(
              KafkaClusterNode.class.getName(),
              String.valueOf(n),
              clusterId,
              dir.resolve("kafka-" + n).toString(),
              String.valueOf(ports[n - 1]),
              String.valueOf(ports[n + 2]),
              voters));
    }
    String bootstrap =
        "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    KafkaSettings kafka = KafkaSettings.at(bootstrap);
    await(Duration.ofMinutes(2), "three brokers", () -> brokers(kafka) == 3);

    // Flink: a standalone session cluster from its own entry points.
    int rest = ports[6];
    Path conf = flinkConfiguration(ports[7], rest);
    start(
        "flink-jobmanager",
        java(
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            "--configDir",
            conf.toString()));
    for (int n = 1; n <= 2; n++) {
      start(
          "flink-taskmanager-" + n,
          java(
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              "--configDir",
              conf.toString()));
    }

    // Worldstream: the learner on the cluster, two encoders, two workers.
    start(
        "train",
        worldstream(
            "train",
            "-b",
            bootstrap,
            "--flink-cluster",
            "127.0.0.1:" + rest,
            "--data-dir",
            dir.resolve("learner").toString(),
            "--checkpoint-every",
            "20",
            "--checkpoint-interval",
            "10s",
            "--flink-checkpoint-interval",
            "2s"));
    for (int n = 1; n <= 2; n++) {
      start(
          "encoder-" + n,
          worldstream(
              "encode", "-b", bootstrap, "--data-dir", dir.resolve("encoder-" + n).toString()));
    }
    for (int n = 1; n <= 2; n++) {
      start(
          "worker-" + n,
          worldstream(
              "worker",
              "-b",
              bootstrap,
              "--envs",
              "1",
              "--episodes",
              "4",
              "--max-episode-steps",
              "250",
              "--policy",
              "brownian",
              "--seed",
              String.valueOf(100 * n)));
    }
    await(
        Duration.ofMinutes(6),
        "two checkpoints",
        () -> TopicContents.read(kafka, Topics.CHECKPOINTS).size() >= 2);

    // Lose a broker and the task manager that runs the learner.
    kill("kafka-2");
    List<String> learning =
        java.util.stream.Stream.of("flink-taskmanager-1", "flink-taskmanager-2")
            .filter(tm -> log(tm).contains("Checkpoint vae-"))
            .toList();
    assertThat(learning).as("the task manager that runs the learner").hasSize(1);
    String learnerTaskManager = learning.get(0);
    kill(learnerTaskManager);
    long versionsAtKill = TopicContents.read(kafka, Topics.CHECKPOINTS).size();

    for (int n = 1; n <= 2; n++) {
      Process worker = processes.get("worker-" + n);
      assertThat(worker.waitFor(15, TimeUnit.MINUTES)).as("worker-%d finished", n).isTrue();
      assertThat(worker.exitValue()).as("worker-%d exit", n).isZero();
    }
    long experienced = TopicContents.records(kafka, Topics.EXPERIENCE.name());
    assertThat(experienced).as("steps the workers published").isEqualTo(2L * 4 * 250);
    await(
        Duration.ofMinutes(5),
        "every step encoded",
        () -> TopicContents.read(kafka, Topics.LATENTS).size() >= experienced);
    await(
        Duration.ofMinutes(5),
        "a version trained after the task manager died",
        () -> TopicContents.read(kafka, Topics.CHECKPOINTS).size() > versionsAtKill);

    List<String> encoded =
        TopicContents.read(kafka, Topics.LATENTS).stream()
            .map(l -> l.getEpisodeId() + "#" + l.getStep())
            .toList();
    assertThat(encoded).as("no step encoded twice").doesNotHaveDuplicates();
    assertThat((long) encoded.size()).as("every step encoded").isEqualTo(experienced);
    String survivor =
        learnerTaskManager.endsWith("1") ? "flink-taskmanager-2" : "flink-taskmanager-1";
    assertThat(log(survivor))
        .as("the learner moved to the other task manager")
        .contains("Checkpoint vae-");
    for (int n = 1; n <= 2; n++) {
      assertThat(log("encoder-" + n))
          .as("encoder-%d took a share of the work", n)
          .containsPattern("encode: [1-9][0-9.]* frames/s in");
    }
    List<Checkpoint> versions = TopicContents.read(kafka, Topics.CHECKPOINTS);
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).getVersion()).as("version at %d", i).isEqualTo(i + 1L);
    }
    System.out.printf(
        "scale-out: %d steps encoded once each by two encoders; %d versions (%d when a broker and"
            + " %s were killed)%n",
        encoded.size(), versions.size(), versionsAtKill, learnerTaskManager);
  }

  private Path flinkConfiguration(int rpcPort, int restPort) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("flink-conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.memory.process.size: 1024m",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: 1",
            // What Flink's start scripts would work out and pass to a task manager.
            "taskmanager.cpu.cores: 1",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.task.heap.size: 512m",
            "taskmanager.memory.managed.size: 64m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "heartbeat.interval: 2000",
            "heartbeat.timeout: 10000",
            "io.tmp.dirs: " + Files.createDirectories(dir.resolve("flink-tmp")),
            ""));
    return conf;
  }

  private void start(String name, ProcessBuilder builder) throws IOException {
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    processes.put(name, builder.start());
  }

  private void kill(String name) throws Exception {
    Process p = processes.get(name);
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private static ProcessBuilder java(String mainClass, String... args) {
    return ChildProcess.java("1g", mainClass, List.of(args));
  }

  private static ProcessBuilder worldstream(String... args) {
    return ChildProcess.worldstream("1g", List.of(args));
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private void await(Duration timeout, String what, Check condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      for (var p : processes.entrySet()) {
        if (!p.getValue().isAlive()
            && p.getValue().exitValue() != 0
            && p.getValue().exitValue() != 137) {
          throw new AssertionError(
              p.getKey() + " exited while waiting for " + what + ":\n" + tail(p.getKey()));
        }
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (String name : processes.keySet()) {
          logs.append("--- ").append(name).append('\n').append(tail(name));
        }
        throw new AssertionError("timed out waiting for " + what + ":\n" + logs);
      }
      Thread.sleep(1_000);
    }
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String tail(String name) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())) + "\n";
  }

  private static int brokers(KafkaSettings kafka) {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      return 0;
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
