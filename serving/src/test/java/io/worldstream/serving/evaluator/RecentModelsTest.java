package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentModelsTest {

  /** A model that remembers being closed. */
  private final List<String> closed = new ArrayList<>();

  private AutoCloseable model(String name) {
    return () -> closed.add(name);
  }

  @Test
  void keepsTheNewestModelsOfALineageNewestFirstAndClosesThoseThatFallOut() {
    try (RecentModels<AutoCloseable> models = new RecentModels<>(3)) {
      AutoCloseable v1 = model("v1");
      AutoCloseable v2 = model("v2");
      AutoCloseable v3 = model("v3");
      AutoCloseable v4 = model("v4");
      assertThat(models.add("a", 1, v1)).containsExactly(v1);
      assertThat(models.add("a", 2, v2)).containsExactly(v2, v1);
      assertThat(models.add("a", 3, v3)).containsExactly(v3, v2, v1);
      assertThat(closed).isEmpty();
      assertThat(models.add("a", 4, v4)).containsExactly(v4, v3, v2);
      assertThat(closed).containsExactly("v1");
      assertThat(models.versions()).containsExactly(4L, 3L, 2L);
    }
    assertThat(closed).containsExactlyInAnyOrder("v1", "v2", "v3", "v4");
  }

  @Test
  void anotherLineageStartsAfresh() {
    try (RecentModels<AutoCloseable> models = new RecentModels<>(2)) {
      models.add("a", 7, model("a7"));
      models.add("a", 8, model("a8"));
      AutoCloseable b1 = model("b1");
      assertThat(models.add("b", 1, b1)).as("no model of lineage a").containsExactly(b1);
      assertThat(closed).containsExactlyInAnyOrder("a7", "a8");
    }
  }

  @Test
  void oneModelKeepsOnlyTheNewest() {
    try (RecentModels<AutoCloseable> models = new RecentModels<>(1)) {
      models.add("a", 1, model("v1"));
      AutoCloseable v2 = model("v2");
      assertThat(models.add("a", 2, v2)).containsExactly(v2);
      assertThat(closed).containsExactly("v1");
    }
    assertThatThrownBy(() -> new RecentModels<>(0)).hasMessageContaining("at least one");
  }
}
