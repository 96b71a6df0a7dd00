package io.worldstream.app;

import static io.worldstream.app.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerCommandTest {

  @Test
  void shouldRefuseAnUnknownPolicyWithOneLine() {
    String[] result = run("worker", "--policy", "greedy", "--forever");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1].strip().lines())
        .singleElement()
        .asString()
        .contains("Unknown policy 'greedy'");
  }

  @Test
  void shouldRefuseAnUnknownEnvironmentWithOneLine() {
    String[] result = run("worker", "--env", "Pong-v5", "--episodes", "1");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("Unknown environment 'Pong-v5'").contains("CarRacing-v3");
  }

  @Test
  void shouldRefuseImpossibleLengthsAndCounts() {
    assertThat(run("worker", "--episodes", "3", "--forever")[1])
        .contains("choose --episodes or --forever, not both");
    assertThat(run("worker", "--episodes", "0")[1])
        .contains("the number of episodes must be at least 1, not 0");
    assertThat(run("worker", "--envs", "0")[1])
        .contains("the number of environments must be at least 1, not 0");
  }

  @Test
  void shouldNotStartWithoutABroker() {
    String[] result = run("worker", "--forever", "-b", "127.0.0.1:1", "--connect-timeout", "1s");
    assertThat(result[0]).isEqualTo("1");
    assertThat(result[1]).contains("Cannot reach Kafka at 127.0.0.1:1");
  }
}
