package io.worldstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ServiceRunnerTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** A service whose readiness, completion and failure the test decides. */
  final class Scripted implements Service {
    final String name;
    volatile boolean ready;
    volatile boolean done;
    volatile Throwable failure;
    volatile boolean failOnStart;
    volatile boolean readyAfterStart = true;

    Scripted(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start() {
      if (failOnStart) {
        throw new IllegalStateException("port 9092 is taken");
      }
      events.add("start " + name);
      ready = readyAfterStart;
    }

    @Override
    public boolean isReady() {
      if (ready) {
        events.add("ready " + name);
      }
      return ready;
    }

    @Override
    public Optional<Throwable> failure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public boolean isDone() {
      return done;
    }

    @Override
    public void stop(Duration timeout) {
      events.add("stop " + name);
    }

    @Override
    public Map<String, ?> configuration() {
      return Map.of("sasl.jaas.config", "user=me password=hunter2");
    }
  }

  private ServiceRunner runner(Service... services) {
    return new ServiceRunner(List.of(services), new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void shouldStartInOrderAndStopInReverseWhenEveryServiceIsDone() {
    Scripted broker = new Scripted("broker");
    Scripted worker = new Scripted("worker");
    broker.done = true;
    worker.done = true;

    int status = runner(broker, worker).run();

    assertThat(status).isZero();
    assertThat(events.stream().filter(e -> !e.startsWith("ready")))
        .containsExactly("start broker", "start worker", "stop worker", "stop broker");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void shouldWaitForEachServiceToBeReadyBeforeStartingTheNext() throws Exception {
    Scripted broker = new Scripted("broker");
    broker.readyAfterStart = false;
    Scripted encoder = new Scripted("encoder");
    ServiceRunner runner = runner(broker, encoder);
    Thread run = new Thread(runner::run);
    run.start();

    Thread.sleep(300);
    assertThat(events).containsExactly("start broker");
    broker.ready = true;
    waitFor(() -> events.contains("start encoder"));
    runner.requestStop();
    run.join(5_000);

    assertThat(events.stream().filter(e -> !e.startsWith("ready")))
        .containsExactly("start broker", "start encoder", "stop encoder", "stop broker");
  }

  @Test
  void shouldStopTheOthersAndNameTheServiceThatFailed() throws Exception {
    Scripted broker = new Scripted("broker");
    Scripted encoder = new Scripted("encoder");
    ServiceRunner runner = runner(broker, encoder);
    int[] status = new int[1];
    Thread run = new Thread(() -> status[0] = runner.run());
    run.start();
    waitFor(() -> events.contains("start encoder"));

    encoder.failure = new IllegalStateException("the VAE session crashed");
    run.join(5_000);

    assertThat(status[0]).isEqualTo(ServiceRunner.FAILED);
    assertThat(err.toString().strip()).isEqualTo("encoder failed: the VAE session crashed");
    assertThat(events.stream().filter(e -> e.startsWith("stop")))
        .containsExactly("stop encoder", "stop broker");
  }

  @Test
  void shouldStopWhatStartedWhenALaterServiceCannotStart() {
    Scripted broker = new Scripted("broker");
    Scripted encoder = new Scripted("encoder");
    encoder.failOnStart = true;
    Scripted worker = new Scripted("worker");

    int status = runner(broker, encoder, worker).run();

    assertThat(status).isEqualTo(ServiceRunner.FAILED);
    assertThat(err.toString().strip()).isEqualTo("encoder failed: port 9092 is taken");
    assertThat(events.stream().filter(e -> !e.startsWith("ready")))
        .containsExactly("start broker", "stop encoder", "stop broker");
  }

  @Test
  void shouldPrintEachServicesConfigurationWithSecretsMasked() {
    Scripted broker = new Scripted("broker");
    broker.done = true;

    runner(broker).run();

    assertThat(out.toString())
        .contains("broker settings:")
        .contains("sasl.jaas.config = " + EffectiveConfiguration.MASK)
        .doesNotContain("hunter2");
  }

  private static void waitFor(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 5 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
