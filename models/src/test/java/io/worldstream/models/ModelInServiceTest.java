package io.worldstream.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The swap logic alone, over a stand-in model: a name read from its bytes ("bad" won't load). */
class ModelInServiceTest {

  private final List<String> closed = new ArrayList<>();

  final class Named implements AutoCloseable {
    final String name;

    Named(byte[] bytes) {
      name = new String(bytes, StandardCharsets.UTF_8);
      if (name.startsWith("bad")) {
        throw new IllegalArgumentException("no output named 'mu'");
      }
    }

    @Override
    public void close() {
      synchronized (closed) {
        closed.add(name);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private ModelInService<Named> load(String name) {
    return ModelInService.load("test model", Named::new, bytes(name), "a test");
  }

  @Test
  void shouldReplaceAGoodModelAndCloseTheOldOne() {
    try (ModelInService<Named> model = load("v1")) {
      ModelInService.Offer offer = model.offer(bytes("v2"), "a newer file");

      assertThat(offer)
          .isEqualTo(
              new ModelInService.Offer.Replaced(
                  ModelVersion.of(bytes("v1")), ModelVersion.of(bytes("v2"))));
      assertThat(nameOf(model)).isEqualTo("v2");
      assertThat(model.version()).isEqualTo(ModelVersion.of(bytes("v2")));
      assertThat(closed).containsExactly("v1");
      assertThat(model.offer(bytes("v2"), "the same file again"))
          .isInstanceOf(ModelInService.Offer.Unchanged.class);
    }
    assertThat(closed).containsExactly("v1", "v2");
  }

  @Test
  void shouldRefuseABadModelAndKeepTheOldOne() {
    try (ModelInService<Named> model = load("v1")) {
      ModelInService.Offer offer = model.offer(bytes("bad v2"), "a broken file");

      assertThat(offer).isInstanceOf(ModelInService.Offer.Refused.class);
      assertThat(((ModelInService.Offer.Refused) offer).reason()).contains("no output named 'mu'");
      assertThat(nameOf(model)).isEqualTo("v1");
      assertThat(model.version()).isEqualTo(ModelVersion.of(bytes("v1")));
    }
  }

  @Test
  void shouldWaitForWorkInProgressBeforeSwapping() throws Exception {
    try (ModelInService<Named> model = load("v1")) {
      CountDownLatch working = new CountDownLatch(1);
      CountDownLatch finish = new CountDownLatch(1);
      Thread user =
          new Thread(
              () ->
                  model.apply(
                      m -> {
                        working.countDown();
                        await(finish);
                        return m.name;
                      }));
      user.start();
      working.await();
      Thread swapper = new Thread(() -> model.offer(bytes("v2"), "a newer file"));
      swapper.start();
      swapper.join(300);

      assertThat(swapper.isAlive()).as("the swap waits for the running use").isTrue();
      assertThat(closed).isEmpty();
      finish.countDown();
      swapper.join(5_000);
      assertThat(nameOf(model)).isEqualTo("v2");
    }
  }

  @Test
  void shouldHandOutOnlyModelsThatMatchTheirSha256() {
    byte[] onnx = bytes("model bytes");
    String sha256 = ModelVersion.of(onnx);

    assertThat(ModelVersion.verified(ByteBuffer.wrap(onnx), sha256)).isEqualTo(onnx);
    byte[] flipped = onnx.clone();
    flipped[3] ^= 1;
    assertThatThrownBy(() -> ModelVersion.verified(ByteBuffer.wrap(flipped), sha256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt")
        .hasMessageContaining(ModelVersion.shortForm(sha256));
  }

  private static String nameOf(ModelInService<Named> model) {
    return model.apply((Named m) -> m.name);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
