package io.worldstream.bench.learn;

import io.worldstream.bench.Figures;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Environments;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.RandomPolicy;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.service.InvalidSettingException;
import io.worldstream.serving.evaluator.Controllers;
import io.worldstream.serving.evaluator.DreamFitness;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import io.worldstream.serving.evaluator.RealCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * How well a run of the loop learned to drive, measured after it ran (so measuring does not slow
 * it): at every mark (minutes since the run started) the newest controller published by then drives
 * the real CarRacing on the reserved evaluation tracks, with its features computed by the VAE and
 * the checkpoint it was trained in, and the same controller is scored in that checkpoint's dream on
 * fresh rollouts — the dream's own prediction, to set beside reality. So does the best controller
 * checked by then: the one whose in-loop real check on the selection tracks scored highest, which
 * is what the loop offers (the evaluation tracks it is measured on are others). Random and brownian
 * driving on the same tracks are the same-run baselines. Everything it reads comes from the run's
 * topics: controllers and checkpoints with their times, the env steps behind each mark (the steps
 * encoded by then), and the real episode starts its dreams begin from.
 */
public final class LearningCurve {

  /**
   * @param started when the run started; marks count from here
   * @param ended when the run stopped: the last mark
   * @param markEvery the time between marks
   * @param tracks evaluation tracks driven at every mark
   * @param finalTracks evaluation tracks driven at the last mark
   * @param dreamRollouts fresh dream rollouts scoring each mark's controller
   * @param search how the loop's search dreamed (horizon, temperature, done threshold, dropout):
   *     the mark's dream is drawn the same way
   * @param threads real environments stepping at once, and ONNX Runtime threads
   * @param out where the curve's data (learning-curve.jsonl) and chart (learning-curve.png) go
   */
  public record Settings(
      Instant started,
      Instant ended,
      Duration markEvery,
      int tracks,
      int finalTracks,
      int dreamRollouts,
      EvaluatorSettings search,
      int threads,
      Path out) {
    public Settings {
      if (!ended.isAfter(started)) {
        throw new InvalidSettingException("minutes", "the run must end after it started");
      }
      InvalidSettingException.positive("mark-every", "the time between marks", markEvery);
      InvalidSettingException.atLeast("tracks", "evaluation tracks", tracks, 1);
      InvalidSettingException.atLeast(
          "final-tracks", "evaluation tracks at the end", finalTracks, 1);
      InvalidSettingException.atLeast("dream-rollouts", "dream rollouts", dreamRollouts, 1);
      if (Math.max(tracks, finalTracks) > EvaluationTracks.COUNT) {
        throw new InvalidSettingException(
            "tracks", "there are " + EvaluationTracks.COUNT + " evaluation tracks");
      }
    }
  }

  /**
   * One point of the curve.
   *
   * @param minutes since the run started
   * @param envSteps real steps the workers had taken by then
   * @param gradientSteps the learner's updates behind the controller's checkpoint
   * @param controller the controller's version, or 0 when there was none yet (nothing driven)
   * @param real its returns on the evaluation tracks, or null without a controller
   * @param dreamReturn its mean return in its checkpoint's dream on fresh rollouts (NaN without)
   */
  public record Mark(
      double minutes,
      long envSteps,
      long gradientSteps,
      long checkpointVersion,
      long controller,
      RealCheck.Returns real,
      double dreamReturn) {}

  /**
   * The curve and its baselines on the same tracks.
   *
   * @param marks the newest controller at each mark, the one the workers acted with
   * @param best the best controller checked by each mark, the one the loop offers
   */
  public record Curve(
      List<Mark> marks, List<Mark> best, RealCheck.Returns random, RealCheck.Returns brownian) {}

  private final KafkaSettings kafka;
  private final Settings settings;
  private final Consumer<String> say;

  public LearningCurve(KafkaSettings kafka, Settings settings, Consumer<String> say) {
    this.kafka = kafka;
    this.settings = settings;
    this.say = say;
  }

  /** Measures the curve, writes its data and chart, and prints its figures. */
  public Curve measure(PrintWriter out) throws InterruptedException {
    String vaeVersion = ModelVersion.of(DefaultVae.encoder());
    say.accept("Reading the run's controllers, checkpoints and episode starts…");
    LoopTopics run = LoopTopics.read(kafka, vaeVersion);
    List<ControllerUpdate> controllers = run.controllers();
    Map<Long, Checkpoint> checkpoints = run.checkpoints();
    long[] reserved = {0};
    long driven = EvaluationTracks.FIRST + Math.max(settings.tracks(), settings.finalTracks());
    LoopTopics.read(
        kafka,
        Topics.EXPERIENCE,
        r -> {
          long seed = r.value().getEnvSeed();
          if (r.value().getStep() == 0 && seed >= EvaluationTracks.FIRST && seed < driven) {
            reserved[0]++;
          }
        });
    if (reserved[0] > 0) {
      throw new IllegalStateException(
          reserved[0]
              + " episodes of the run were played on the evaluation tracks it would be measured on;"
              + " the curve would not be on unseen tracks");
    }
    say.accept(
        String.format(
            "%d controllers, %d checkpoints, %d episode starts; no episode on the evaluation tracks",
            controllers.size(), checkpoints.size(), run.startCount()));
    if (run.checkSteps() > 0) {
      say.accept(
          String.format(
              "The real checks fed the model %d steps besides the workers' %d",
              run.checkSteps(), run.stepTimes().length));
    }
    LatentPool starts = run.starts();

    List<Instant> times = markTimes();
    List<Mark> marks = new ArrayList<>();
    List<Mark> best = new ArrayList<>();
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), settings.threads());
        RealCheck check =
            new RealCheck(encoder, EvaluationTracks.seeds(settings.tracks()), settings.threads());
        RealCheck finalCheck =
            new RealCheck(
                encoder, EvaluationTracks.seeds(settings.finalTracks()), settings.threads())) {
      for (int i = 0; i < times.size(); i++) {
        Instant at = times.get(i);
        boolean last = i == times.size() - 1;
        Mark mark =
            mark(
                at,
                run.envStepsBy(at),
                newest(controllers, at),
                checkpoints,
                starts,
                last ? finalCheck : check);
        marks.add(mark);
        say.accept(describe(mark));
        Optional<ControllerUpdate> checked = bestChecked(controllers, at);
        Mark bestMark =
            driven(checked, mark, last || best.isEmpty() ? null : best.get(best.size() - 1));
        if (bestMark == null) {
          bestMark =
              mark(at, run.envStepsBy(at), checked, checkpoints, starts, last ? finalCheck : check);
        }
        best.add(bestMark);
        say.accept("  best checked: " + describe(bestMark).strip());
      }
    }
    RealCheck.Returns random;
    RealCheck.Returns brownian;
    ActionSpec spec;
    try (var env = Environments.make(CarRacing.ID, true, false)) {
      spec = env.actionSpec();
    }
    try (RealCheck baselines =
        new RealCheck(null, EvaluationTracks.seeds(settings.tracks()), settings.threads())) {
      random = baselines.returns(i -> new RandomPolicy(spec, 1000 + i), () -> false);
      brownian = baselines.returns(i -> new BrownianPolicy(spec, 1000 + i), () -> false);
    }
    say.accept(
        String.format(
            Locale.ROOT,
            "baselines on the same %d tracks: random %.1f ± %.1f, brownian %.1f ± %.1f",
            settings.tracks(),
            random.mean(),
            random.sd(),
            brownian.mean(),
            brownian.sd()));
    Curve curve = new Curve(marks, best, random, brownian);
    write(curve);
    figures(curve).print(out);
    return curve;
  }

  /**
   * The best checked controller's mark at {@code mark}'s time when that controller was already
   * driven on these tracks — it is the newest there, or was the best at {@code previous} (the same
   * controller on the same tracks drives the same) — or null if it must be driven.
   */
  private static Mark driven(Optional<ControllerUpdate> checked, Mark mark, Mark previous) {
    if (checked.isEmpty()) {
      return null;
    }
    long version = checked.get().getVersion();
    if (version == mark.controller()) {
      return mark;
    }
    if (previous == null || previous.controller() != version) {
      return null;
    }
    return new Mark(
        mark.minutes(),
        mark.envSteps(),
        previous.gradientSteps(),
        previous.checkpointVersion(),
        previous.controller(),
        previous.real(),
        previous.dreamReturn());
  }

  private List<Instant> markTimes() {
    List<Instant> times = new ArrayList<>();
    // A regular mark within half an interval of the end would measure the same controller again.
    Instant lastRegular = settings.ended().minus(settings.markEvery().dividedBy(2));
    for (Instant t = settings.started().plus(settings.markEvery());
        t.isBefore(lastRegular);
        t = t.plus(settings.markEvery())) {
      times.add(t);
    }
    times.add(settings.ended());
    return times;
  }

  private Mark mark(
      Instant at,
      long envSteps,
      Optional<ControllerUpdate> controller,
      Map<Long, Checkpoint> checkpoints,
      LatentPool starts,
      RealCheck check)
      throws InterruptedException {
    double minutes = Duration.between(settings.started(), at).toMillis() / 60_000.0;
    Checkpoint checkpoint =
        controller.map(c -> checkpoints.get(c.getCheckpointVersion())).orElse(null);
    if (checkpoint == null || starts == null) {
      long gradientSteps =
          checkpoints.values().stream()
              .filter(c -> !c.getCreatedTime().isAfter(at))
              .mapToLong(Checkpoint::getGradientSteps)
              .max()
              .orElse(0);
      return new Mark(minutes, envSteps, gradientSteps, 0, 0, null, Double.NaN);
    }
    var linear = Controllers.controller(Controllers.parameters(controller.get()));
    byte[] onnx = new byte[checkpoint.getOnnxModel().remaining()];
    checkpoint.getOnnxModel().duplicate().get(onnx);
    try (MdnRnnStep model = MdnRnnStep.load(onnx, settings.threads())) {
      RealCheck.Returns real = check.returns(linear, model, () -> false);
      DreamFitness.Rules rules = searchRules();
      double dream =
          DreamFitness.score(
                  model,
                  starts,
                  new float[][] {Controllers.toFloats(Controllers.parameters(controller.get()))},
                  rules,
                  controller.get().getVersion(),
                  () -> false)
              .meanReturns()[0];
      return new Mark(
          minutes,
          envSteps,
          checkpoint.getGradientSteps(),
          checkpoint.getVersion(),
          controller.get().getVersion(),
          real,
          dream);
    }
  }

  /** The search's way of dreaming, on the mark's own number of rollouts. */
  private DreamFitness.Rules searchRules() {
    EvaluatorSettings evaluator = settings.search();
    return new DreamFitness.Rules(
        settings.dreamRollouts(),
        evaluator.horizon(),
        evaluator.temperature(),
        evaluator.doneThreshold(),
        evaluator.dreamDropout(),
        false);
  }

  /** The highest-versioned controller published by {@code at}, the one the workers then used. */
  static Optional<ControllerUpdate> newest(List<ControllerUpdate> controllers, Instant at) {
    return controllers.stream()
        .filter(c -> !c.getCreatedTime().isAfter(at))
        .reduce((a, b) -> b.getVersion() > a.getVersion() ? b : a);
  }

  /**
   * The controller published by {@code at} whose real check scored highest (the newer of equals),
   * the one the loop offers; empty before the first check.
   */
  static Optional<ControllerUpdate> bestChecked(List<ControllerUpdate> controllers, Instant at) {
    return controllers.stream()
        .filter(c -> !c.getCreatedTime().isAfter(at) && c.getRealReturn() != null)
        .reduce((a, b) -> b.getRealReturn() >= a.getRealReturn() ? b : a);
  }

  static String describe(Mark mark) {
    if (mark.real() == null) {
      return String.format(
          Locale.ROOT,
          "%5.1f min: %d env steps, no controller yet",
          mark.minutes(),
          mark.envSteps());
    }
    return String.format(
        Locale.ROOT,
        "%5.1f min: %d env steps, %d gradient steps, controller v%d (checkpoint v%d): real %.1f ± %.1f"
            + " over %d tracks, dream %.1f",
        mark.minutes(),
        mark.envSteps(),
        mark.gradientSteps(),
        mark.controller(),
        mark.checkpointVersion(),
        mark.real().mean(),
        mark.real().sd(),
        mark.real().tracks(),
        mark.dreamReturn());
  }

  /** The figures: every mark's real return beside random driving, its spread, dream and data. */
  static Figures figures(Curve curve) {
    Figures figures = new Figures();
    double random = curve.random().mean();
    for (Mark mark : curve.marks()) {
      String at = mark == curve.marks().get(curve.marks().size() - 1) ? "end" : label(mark);
      if (mark.real() != null) {
        figures.beside("learn.real-return." + at, mark.real().mean(), "points", "random", random);
        figures.add("learn.real-return-sd." + at, mark.real().sd(), "points");
        figures.add("learn.dream-return." + at, mark.dreamReturn(), "points");
      }
      figures.add("learn.env-steps." + at, mark.envSteps(), "steps");
      figures.add("learn.gradient-steps." + at, mark.gradientSteps(), "steps");
    }
    for (Mark mark : curve.best()) {
      String at = mark == curve.best().get(curve.best().size() - 1) ? "end" : label(mark);
      if (mark.real() != null) {
        figures.beside(
            "learn.best-real-return." + at, mark.real().mean(), "points", "random", random);
      }
    }
    figures.add("learn.baseline-random", random, "points");
    figures.add("learn.baseline-brownian", curve.brownian().mean(), "points");
    return figures;
  }

  private static String label(Mark mark) {
    return String.format(Locale.ROOT, "%02.0fmin", mark.minutes());
  }

  private void write(Curve curve) {
    try {
      Files.createDirectories(settings.out());
      List<String> lines = new ArrayList<>();
      for (Mark mark : curve.marks()) {
        lines.add(line("controller", mark));
      }
      for (Mark mark : curve.best()) {
        lines.add(line("best", mark));
      }
      for (var baseline :
          Map.of("random", curve.random(), "brownian", curve.brownian()).entrySet()) {
        lines.add(
            String.format(
                Locale.ROOT,
                "{\"series\":\"%s\",\"realMean\":%s,\"realSd\":%s,\"realReturns\":%s}",
                baseline.getKey(),
                json(baseline.getValue().mean()),
                json(baseline.getValue().sd()),
                json(baseline.getValue().perTrack())));
      }
      Files.write(settings.out().resolve("learning-curve.jsonl"), lines);
      LearningCurveChart.write(curve, settings.out().resolve("learning-curve.png"));
      say.accept("Wrote " + settings.out().resolve("learning-curve.jsonl") + " and its chart");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the learning curve to " + settings.out(), e);
    }
  }

  private static String line(String series, Mark mark) {
    return String.format(
        Locale.ROOT,
        "{\"series\":\"%s\",\"minutes\":%.3f,\"envSteps\":%d,\"gradientSteps\":%d,"
            + "\"checkpointVersion\":%d,\"controllerVersion\":%d,\"realMean\":%s,"
            + "\"realSd\":%s,\"dreamReturn\":%s,\"realReturns\":%s}",
        series,
        mark.minutes(),
        mark.envSteps(),
        mark.gradientSteps(),
        mark.checkpointVersion(),
        mark.controller(),
        mark.real() == null ? "null" : json(mark.real().mean()),
        mark.real() == null ? "null" : json(mark.real().sd()),
        json(mark.dreamReturn()),
        mark.real() == null ? "[]" : json(mark.real().perTrack()));
  }

  private static String json(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : "null";
  }

  private static String json(double[] values) {
    return Arrays.stream(values)
        .mapToObj(LearningCurve::json)
        .collect(Collectors.joining(",", "[", "]"));
  }
}
