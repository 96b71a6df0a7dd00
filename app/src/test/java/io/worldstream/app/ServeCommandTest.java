package io.worldstream.app;

import static io.worldstream.app.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code worldstream serve} refuses what it cannot serve with one line, before it connects. */
class ServeCommandTest {

  @Test
  void refusesAPortNoServerCanBindWithOneLine() {
    String[] result = run("serve", "--http-port", "70000", "-b", "127.0.0.1:1");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1].strip().lines())
        .singleElement()
        .asString()
        .contains("the port must be 0 to 65535, not 70000");
  }

  @Test
  void refusesAControllerToPublishItDoesNotKnowAndNamesTheChoices() {
    String[] result = run("serve", "--publish", "median", "-b", "127.0.0.1:1");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("Unknown controller to publish 'median'");
    assertThat(result[1]).contains("choose mean, average, best or champion");
  }

  @Test
  void refusesAFallBackWithoutTheRealCheckItFallsBackOn() {
    String[] result =
        run("serve", "--fall-back-margin", "100", "--real-check-every", "0", "-b", "127.0.0.1:1");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).containsIgnoringCase("real check");
  }

  @Test
  void doesNotStartWithoutABroker() {
    String[] result =
        run("serve", "--no-evaluator", "-b", "127.0.0.1:1", "--connect-timeout", "1s");
    assertThat(result[0]).isEqualTo("1");
    assertThat(result[1]).contains("Cannot reach Kafka at 127.0.0.1:1");
  }
}
