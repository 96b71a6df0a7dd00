package io.worldstream.train.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VaeTrainerTest {

  /** Frames of a few flat-coloured rectangles, different per frame. */
  static VaeTrainer.Frames syntheticFrames(int n, long seed) {
    Random random = new Random(seed);
    List<String> episodes = new ArrayList<>();
    List<byte[]> observations = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      byte[] frame = new byte[96 * 96 * 3];
      for (int i = 0; i < frame.length; i += 3) {
        frame[i] = 100;
        frame[i + 1] = (byte) 202;
        frame[i + 2] = 100;
      }
      int x0 = random.nextInt(60);
      int y0 = random.nextInt(50);
      for (int y = y0; y < y0 + 30; y++) {
        for (int x = x0; x < x0 + 30; x++) {
          int p = (y * 96 + x) * 3;
          frame[p] = frame[p + 1] = frame[p + 2] = 100;
        }
      }
      observations.add(frame);
      episodes.add("episode-" + f / 8);
    }
    return new VaeTrainer.Frames(episodes, observations);
  }

  @Test
  void shouldDriveTheLossDownOnOneFixedBatch() {
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      VaeTrainer trainer = new VaeTrainer(manager, DjlVae.initialise(manager));
      VaeTrainer.Frames frames = syntheticFrames(16, 2);
      List<Integer> batch = IntStream.range(0, 16).boxed().toList();
      var training = trainer.trainingStep(1e-3f, 100, 1);

      double before = trainer.reconstructionMse(frames, batch);
      double first = trainer.step(training, frames, batch);
      long started = System.nanoTime();
      double last = first;
      for (int i = 0; i < 40; i++) {
        last = trainer.step(training, frames, batch);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double after = trainer.reconstructionMse(frames, batch);
      System.out.printf(
          "VAE overfit: loss %.1f → %.1f, MSE %.4f → %.4f, %.0f frames/s%n",
          first, last, before, after, 40 * 16 / seconds);

      assertThat(last).isLessThan(first / 3);
      assertThat(after).isLessThan(before * 0.7);
    }
  }

  @Test
  void shouldHoldOutWholeEpisodes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      VaeTrainer trainer = new VaeTrainer(manager, DjlVae.initialise(manager));
      VaeTrainer.Frames frames = syntheticFrames(80, 3); // 10 episodes of 8 frames
      var report =
          trainer.train(frames, new VaeTrainer.Options(1, 16, 1e-3f, 100, 0.2, 4), line -> {});

      assertThat(report.heldOutEpisodes()).isEqualTo(2);
      assertThat(report.heldOutFrames()).isEqualTo(16);
      assertThat(report.trainFrames()).isEqualTo(64);
      var heldOutEpisodes =
          report.heldOutIndices().stream().map(i -> frames.episodes().get(i)).distinct().toList();
      assertThat(heldOutEpisodes).hasSize(2);
      assertThat(report.heldOutMsePerPixel()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void shouldContinueIdenticallyWhenRestoredIntoAFreshTrainer() {
    VaeTrainer.Frames frames = syntheticFrames(8, 6);
    List<List<Integer>> batches =
        List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(1, 3, 5, 7), List.of(0, 2, 4, 6));
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(2);
      VaeTrainer straight = new VaeTrainer(manager, DjlVae.initialise(manager));
      var uninterrupted = straight.trainingStep(1e-3f, 100, 9);
      batches.forEach(b -> straight.step(uninterrupted, frames, b));

      Engine.getInstance().setRandomSeed(2);
      VaeTrainer first = new VaeTrainer(manager, DjlVae.initialise(manager));
      var before = first.trainingStep(1e-3f, 100, 9);
      batches.subList(0, 2).forEach(b -> first.step(before, frames, b));
      var saved = before.state();

      // Other initial weights and another seed: everything must come from the saved state.
      VaeTrainer fresh = new VaeTrainer(manager, DjlVae.initialise(manager));
      var after = fresh.trainingStep(1e-3f, 100, 123);
      after.restore(saved);
      batches.subList(2, 4).forEach(b -> fresh.step(after, frames, b));

      Engine.getInstance().setRandomSeed(2);
      VaeTrainer again = new VaeTrainer(manager, DjlVae.initialise(manager));
      var repeat = again.trainingStep(1e-3f, 100, 9);
      batches.forEach(b -> again.step(repeat, frames, b));

      assertThat(after.steps()).isEqualTo(4);
      System.out.printf(
          "VAE resumed vs uninterrupted: max |Δw| %.3g; uninterrupted twice: %.3g%n",
          maxDifference(after.state().weights(), uninterrupted.state().weights()),
          maxDifference(repeat.state().weights(), uninterrupted.state().weights()));
      assertThat(maxDifference(after.state().weights(), uninterrupted.state().weights()))
          .isLessThan(1e-6);
    }
  }

  private static double maxDifference(
      java.util.Map<String, io.worldstream.models.Tensor> a,
      java.util.Map<String, io.worldstream.models.Tensor> b) {
    double max = 0;
    for (String name : a.keySet()) {
      float[] x = a.get(name).data();
      float[] y = b.get(name).data();
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
