package io.worldstream.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeasedModelsTest {

  /** A model that knows whether it was closed, and fails if it is used after that. */
  static final class Model implements AutoCloseable {
    final String name;
    volatile boolean closed;

    Model(String name) {
      this.name = name;
    }

    String use() {
      assertThat(closed).as(name + " closed while in use").isFalse();
      return name;
    }

    @Override
    public void close() {
      assertThat(closed).as(name + " closed twice").isFalse();
      closed = true;
    }
  }

  private final List<Model> loaded = new ArrayList<>();

  private synchronized Model load(String name) {
    Model model = new Model(name);
    loaded.add(model);
    return model;
  }

  @Test
  void shouldLoadAModelOnceAndShareIt() {
    try (var models = new LeasedModels<Model>(2)) {
      try (var first = models.lease("a", () -> load("a"));
          var second = models.lease("a", () -> load("a again"))) {
        assertThat(second.model()).isSameAs(first.model());
      }
      assertThat(loaded).hasSize(1);
    }
    assertThat(loaded.get(0).closed).isTrue();
  }

  @Test
  void shouldNeverCloseAModelARequestStillHolds() {
    try (var models = new LeasedModels<Model>(1)) {
      var running = models.lease("a", () -> load("a"));
      // Newer checkpoints push "a" out of the one place kept while a dream still runs on it.
      models.lease("b", () -> load("b")).close();
      models.lease("c", () -> load("c")).close();
      assertThat(running.model().use()).isEqualTo("a");
      assertThat(loaded.get(1).closed).as("b, let go and pushed out").isTrue();
      assertThat(loaded.get(2).closed).as("c, the one kept").isFalse();

      running.close();
      assertThat(loaded.get(0).closed).as("a, once handed back").isTrue();
      running.close(); // a second hand-back changes nothing
    }
    assertThat(loaded).allMatch(m -> m.closed);
  }

  @Test
  void shouldKeepTheMostRecentlyLeased() {
    try (var models = new LeasedModels<Model>(2)) {
      models.lease("a", () -> load("a")).close();
      models.lease("b", () -> load("b")).close();
      models.lease("a", () -> load("a again")).close();
      models.lease("c", () -> load("c")).close();

      assertThat(loaded)
          .extracting(m -> m.name + (m.closed ? " closed" : ""))
          .containsExactly("a", "b closed", "c");
    }
  }

  @Test
  void shouldKeepOneOfTwoCopiesLoadedAtOnceAndCloseTheOther() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch bothLoading = new CountDownLatch(2);
    try (var models = new LeasedModels<Model>(2)) {
      Runnable request =
          () -> {
            try (var lease =
                models.lease(
                    "a",
                    () -> {
                      loads.incrementAndGet();
                      bothLoading.countDown();
                      try {
                        bothLoading.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return load("a");
                    })) {
              lease.model().use();
            }
          };
      Thread one = new Thread(request);
      Thread two = new Thread(request);
      one.start();
      two.start();
      one.join();
      two.join();
      // Neither load waited for the other: the lock is not held while loading.
      assertThat(loads).hasValue(2);
      assertThat(loaded).filteredOn(m -> m.closed).hasSize(1);
    }
    assertThat(loaded).allMatch(m -> m.closed);
  }

  @Test
  void shouldRefuseLeasesOnceClosed() {
    var models = new LeasedModels<Model>(1);
    models.close();
    assertThatThrownBy(() -> models.lease("a", () -> load("a")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(loaded).isEmpty();
  }
}
