package io.worldstream.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusLineTest {

  @Test
  void shouldKeepPrintingAfterOneLineFailed() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    StatusLine status =
        new StatusLine(
            () -> "http://127.0.0.1:8080",
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the registry is between versions");
              }
              return "controller v7";
            },
            Duration.ofMillis(10),
            said::add);
    status.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!said.contains("up: controller v7") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      status.stop(Duration.ofSeconds(1));
    }

    assertThat(said.get(0)).isEqualTo("Dashboard: http://127.0.0.1:8080/");
    assertThat(said.get(1)).contains("no status this time", "between versions");
    assertThat(said).contains("up: controller v7");
  }
}
