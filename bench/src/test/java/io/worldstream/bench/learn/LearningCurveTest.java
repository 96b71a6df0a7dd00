package io.worldstream.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.records.ControllerUpdate;
import io.worldstream.serving.evaluator.RealCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveTest {

  private static final LearningCurve.Mark NOTHING_YET =
      new LearningCurve.Mark(5, 30_000, 0, 0, 0, null, Double.NaN);

  /** Controller v20, the newest at 10 minutes and the best checked from then to the end. */
  private static final LearningCurve.Mark V20_AT_10 =
      new LearningCurve.Mark(
          10, 61_000, 2_400, 12, 20, new RealCheck.Returns(new double[] {100, 300}), 250);

  private static final LearningCurve.Curve CURVE =
      new LearningCurve.Curve(
          List.of(
              NOTHING_YET,
              V20_AT_10,
              new LearningCurve.Mark(
                  12.5,
                  75_000,
                  3_100,
                  15,
                  26,
                  new RealCheck.Returns(new double[] {500, 700}),
                  640)),
          List.of(
              NOTHING_YET,
              V20_AT_10,
              // On the 100 tracks of the end, v20 drives further than on the 16 before.
              new LearningCurve.Mark(
                  12.5,
                  75_000,
                  2_400,
                  12,
                  20,
                  new RealCheck.Returns(new double[] {650, 750}),
                  250)),
          new RealCheck.Returns(new double[] {-30, -34}),
          new RealCheck.Returns(new double[] {-50, -60}));

  @Test
  void shouldPrintEveryMarkBesideTheRandomBaselineAndCallTheLastOneTheEnd() {
    StringWriter text = new StringWriter();
    LearningCurve.figures(CURVE).print(new PrintWriter(text));

    assertThat(text.toString().lines())
        .contains(
            "learn.env-steps.05min: 30000 steps",
            "learn.real-return.10min: 200 points (baseline random: -32 points)",
            "learn.real-return-sd.10min: 100 points",
            "learn.dream-return.10min: 250 points",
            "learn.real-return.end: 600 points (baseline random: -32 points)",
            "learn.gradient-steps.end: 3100 steps",
            "learn.best-real-return.10min: 200 points (baseline random: -32 points)",
            "learn.best-real-return.end: 700 points (baseline random: -32 points)",
            "learn.baseline-brownian: -55 points")
        .noneMatch(line -> line.startsWith("learn.real-return.05min"));
  }

  @Test
  void shouldDrawTheCurve(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("curve.png");
    LearningCurveChart.write(CURVE, png);

    var image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(Files.size(png)).isGreaterThan(5_000);
  }

  @Test
  void shouldKeepTheWholeLegendInsideTheImage(@TempDir Path dir) throws Exception {
    var end =
        new LearningCurve.Mark(
            60, 900_000, 30_000, 170, 280, new RealCheck.Returns(new double[100]), 600);
    var returns = new double[16];
    var curve =
        new LearningCurve.Curve(
            List.of(
                new LearningCurve.Mark(
                    55, 800_000, 28_000, 160, 270, new RealCheck.Returns(returns), 500),
                end),
            List.of(),
            new RealCheck.Returns(new double[] {-31.61}),
            new RealCheck.Returns(new double[] {-148.83}));
    Path png = dir.resolve("curve.png");
    LearningCurveChart.write(curve, png);

    var image = ImageIO.read(png.toFile());
    for (int x = image.getWidth() - 12; x < image.getWidth(); x++) {
      for (int y = 30; y < 50; y++) {
        assertThat(image.getRGB(x, y) & 0xFFFFFF)
            .as("the legend's band at (%d, %d) is blank beyond its last label", x, y)
            .isEqualTo(0xFFFFFF);
      }
    }
  }

  @Test
  void shouldSayInTheLegendWhenTheLastMarkDroveMoreTracks() {
    assertThat(LearningCurveChart.tracks(CURVE)).isEqualTo("2 tracks");
    var end =
        new LearningCurve.Mark(
            15, 90_000, 3_500, 16, 30, new RealCheck.Returns(new double[] {1, 2, 3}), 600);
    var curve =
        new LearningCurve.Curve(
            List.of(NOTHING_YET, V20_AT_10, end), List.of(), CURVE.random(), CURVE.brownian());

    assertThat(LearningCurveChart.tracks(curve)).isEqualTo("2 tracks (3 at the last mark)");
  }

  private static ControllerUpdate controller(long version, String createdAt, Double realReturn) {
    return ControllerUpdate.newBuilder(controller(version, createdAt))
        .setRealReturn(realReturn)
        .build();
  }

  /** A controller of lineage {@code default}, published at {@code createdAt}. */
  static ControllerUpdate controller(long version, String createdAt) {
    return ControllerUpdate.newBuilder()
        .setLineage("default")
        .setVersion(version)
        .setCheckpointVersion(1)
        .setVaeVersion("v")
        .setInputSize(1)
        .setOutputSize(3)
        .setWeights(List.of(0f, 0f, 0f))
        .setBias(List.of(0f, 0f, 0f))
        .setDreamReturn(0)
        .setGeneration(0)
        .setCreatedTime(Instant.parse(createdAt))
        .build();
  }

  @Test
  void shouldMeasureAtEachMarkTheNewestControllerPublishedByThen() {
    // Read from a topic in arrival order, which need not be version order across evaluators.
    List<ControllerUpdate> published =
        List.of(
            controller(2, "2026-12-01T10:05:00Z"),
            controller(1, "2026-12-01T10:04:00Z"),
            controller(3, "2026-12-01T10:09:59Z"),
            controller(4, "2026-12-01T10:10:01Z"));

    assertThat(LearningCurve.newest(published, Instant.parse("2026-12-01T10:03:00Z"))).isEmpty();
    assertThat(LearningCurve.newest(published, Instant.parse("2026-12-01T10:05:00Z")))
        .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(2));
    assertThat(LearningCurve.newest(published, Instant.parse("2026-12-01T10:10:00Z")))
        .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(3));
  }

  @Test
  void shouldOfferAtEachMarkTheControllerWhoseRealCheckScoredHighestByThen() {
    List<ControllerUpdate> published =
        List.of(
            controller(1, "2026-12-01T10:01:00Z", null),
            controller(2, "2026-12-01T10:02:00Z", 300.0),
            controller(3, "2026-12-01T10:03:00Z", null),
            controller(4, "2026-12-01T10:04:00Z", 250.0),
            controller(5, "2026-12-01T10:05:00Z", 300.0),
            controller(6, "2026-12-01T10:06:00Z", 710.0));

    assertThat(LearningCurve.bestChecked(published, Instant.parse("2026-12-01T10:01:30Z")))
        .as("nothing checked yet")
        .isEmpty();
    assertThat(LearningCurve.bestChecked(published, Instant.parse("2026-12-01T10:04:30Z")))
        .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(2));
    assertThat(LearningCurve.bestChecked(published, Instant.parse("2026-12-01T10:05:00Z")))
        .as("the newer of two equal scores")
        .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(5));
    assertThat(LearningCurve.bestChecked(published, Instant.parse("2026-12-01T10:07:00Z")))
        .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(6));
  }
}
