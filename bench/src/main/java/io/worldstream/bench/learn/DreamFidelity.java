package io.worldstream.bench.learn;

import io.worldstream.bench.Correlation;
import io.worldstream.bench.Figures;
import io.worldstream.envs.EvaluationTracks;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How well the dream predicts the road: controllers a run of the loop published, spread over the
 * run, each drive the real CarRacing on the evaluation tracks no worker trains on and are scored in
 * the dream of the checkpoint they were trained in, under several ways of dreaming (temperature,
 * dropout). A dream the search can trust orders controllers as the road does: the figures are, per
 * way of dreaming, Spearman's ρ and Pearson's r between dream and real return over the controllers
 * (and over the later half of them, which drive), the mean gap dream − real, and how long the
 * dreams last — beside the search's own way of dreaming as the baseline. Every way of dreaming
 * scores a controller on the same starts and sampling noise.
 */
public final class DreamFidelity {

  /** One way of dreaming. */
  public record Dreaming(double temperature, double dropout) {
    public Dreaming {
      if (!(temperature > 0) || !Double.isFinite(temperature)) {
        throw new InvalidSettingException(
            "temperatures", "a temperature must be positive, not " + temperature);
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new InvalidSettingException(
            "dropouts", "a dropout must lie in [0, 1), not " + dropout);
      }
    }

    String label() {
      return String.format(Locale.ROOT, "t%s-d%s", trim(temperature), trim(dropout));
    }

    private static String trim(double value) {
      return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
  }

  /**
   * @param controllers how many published controllers to measure, evenly spread over the run's
   * @param tracks evaluation tracks each drives
   * @param dreamRollouts dream rollouts scoring each controller under each way of dreaming
   * @param ways the ways of dreaming compared; the first is the baseline
   * @param threads real environments stepping at once, and ONNX Runtime threads
   * @param out where the data (dream-fidelity.jsonl) goes
   */
  public record Settings(
      int controllers, int tracks, int dreamRollouts, List<Dreaming> ways, int threads, Path out) {
    public Settings {
      InvalidSettingException.atLeast("controllers", "controllers", controllers, 2);
      InvalidSettingException.atLeast("tracks", "evaluation tracks", tracks, 1);
      InvalidSettingException.atLeast("dream-rollouts", "dream rollouts", dreamRollouts, 1);
      if (tracks > EvaluationTracks.COUNT) {
        throw new InvalidSettingException(
            "tracks", "there are " + EvaluationTracks.COUNT + " evaluation tracks");
      }
      if (ways.isEmpty()) {
        throw new InvalidSettingException("temperatures", "no way of dreaming to measure");
      }
      ways = List.copyOf(ways);
    }
  }

  /**
   * One controller, on the road and in its dream.
   *
   * @param dream its mean dream return under each way of dreaming, in the settings' order
   * @param dreamLength the mean length of those dreams, in steps
   */
  public record Controller(
      long version,
      long checkpoint,
      RealCheck.Returns real,
      double[] dream,
      double[] dreamLength) {}

  /** The controllers measured, oldest first, and the ways of dreaming they were scored under. */
  public record Result(List<Controller> controllers, List<Dreaming> ways) {

    double[] real(List<Controller> which) {
      return which.stream().mapToDouble(c -> c.real().mean()).toArray();
    }

    double[] dream(List<Controller> which, int way) {
      return which.stream().mapToDouble(c -> c.dream()[way]).toArray();
    }

    /** The later half of the controllers: those of a run's second half. */
    List<Controller> later() {
      return controllers.subList(controllers.size() / 2, controllers.size());
    }
  }

  /** The search's own dreams, but for the temperature and dropout compared. */
  private static final EvaluatorSettings SEARCH = EvaluatorSettings.defaults();

  private final KafkaSettings kafka;
  private final Settings settings;
  private final Consumer<String> say;

  public DreamFidelity(KafkaSettings kafka, Settings settings, Consumer<String> say) {
    this.kafka = kafka;
    this.settings = settings;
    this.say = say;
  }

  /** Measures, writes the data and prints the figures. */
  public Result measure(PrintWriter out) throws InterruptedException {
    say.accept("Reading the run's controllers, checkpoints and episode starts…");
    LoopTopics run = LoopTopics.read(kafka, ModelVersion.of(DefaultVae.encoder()));
    if (run.starts() == null) {
      throw new IllegalStateException("the run encoded no episode start to dream from");
    }
    List<ControllerUpdate> chosen = spread(run, settings.controllers());
    say.accept(
        String.format(
            Locale.ROOT,
            "%d of the run's %d controllers (v%d … v%d), %d tracks each, %d dream rollouts under"
                + " each of %s",
            chosen.size(),
            run.controllers().size(),
            chosen.get(0).getVersion(),
            chosen.get(chosen.size() - 1).getVersion(),
            settings.tracks(),
            settings.dreamRollouts(),
            settings.ways().stream().map(Dreaming::label).collect(Collectors.joining(", "))));
    List<Controller> measured = new ArrayList<>();
    try (VaeEncoder encoder = VaeEncoder.load(DefaultVae.encoder(), settings.threads());
        RealCheck check =
            new RealCheck(encoder, EvaluationTracks.seeds(settings.tracks()), settings.threads())) {
      for (ControllerUpdate controller : chosen) {
        Controller one =
            measure(
                controller, run.checkpoints().get(controller.getCheckpointVersion()), run, check);
        measured.add(one);
        say.accept(describe(one, settings.ways()));
      }
    }
    Result result = new Result(measured, settings.ways());
    write(result);
    figures(result).print(out);
    return result;
  }

  /** {@code count} controllers evenly spread over those whose checkpoint the run kept. */
  static List<ControllerUpdate> spread(LoopTopics run, int count) {
    List<ControllerUpdate> usable =
        run.controllers().stream()
            .filter(c -> run.checkpoints().containsKey(c.getCheckpointVersion()))
            .sorted(Comparator.comparingLong(ControllerUpdate::getVersion))
            .toList();
    if (usable.size() < 2) {
      throw new IllegalStateException(
          "the run published " + usable.size() + " controllers with their checkpoint; need 2");
    }
    int n = Math.min(count, usable.size());
    return IntStream.range(0, n)
        .map(i -> (int) Math.round((double) (i + 1) * (usable.size() - 1) / n))
        .distinct()
        .mapToObj(usable::get)
        .toList();
  }

  private Controller measure(
      ControllerUpdate controller, Checkpoint checkpoint, LoopTopics run, RealCheck check)
      throws InterruptedException {
    double[] parameters = Controllers.parameters(controller);
    byte[] onnx = new byte[checkpoint.getOnnxModel().remaining()];
    checkpoint.getOnnxModel().duplicate().get(onnx);
    try (MdnRnnStep model = MdnRnnStep.load(onnx, settings.threads())) {
      RealCheck.Returns real =
          check.returns(Controllers.controller(parameters), model, () -> false);
      float[][] candidate = {Controllers.toFloats(parameters)};
      int ways = settings.ways().size();
      double[] dream = new double[ways];
      double[] length = new double[ways];
      for (int w = 0; w < ways; w++) {
        Dreaming way = settings.ways().get(w);
        DreamFitness.Scores scores =
            DreamFitness.score(
                model,
                run.starts(),
                candidate,
                new DreamFitness.Rules(
                    settings.dreamRollouts(),
                    SEARCH.horizon(),
                    way.temperature(),
                    SEARCH.doneThreshold(),
                    way.dropout(),
                    false),
                controller.getVersion(),
                () -> false);
        dream[w] = scores.meanReturns()[0];
        length[w] = (double) scores.dreamSteps() / settings.dreamRollouts();
      }
      return new Controller(controller.getVersion(), checkpoint.getVersion(), real, dream, length);
    }
  }

  static String describe(Controller c, List<Dreaming> ways) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "controller v%d (checkpoint v%d): real %.1f ± %.1f; dream",
                c.version(),
                c.checkpoint(),
                c.real().mean(),
                c.real().sd()));
    for (int w = 0; w < ways.size(); w++) {
      line.append(
          String.format(
              Locale.ROOT,
              " %s %.1f (%.0f steps)",
              ways.get(w).label(),
              c.dream()[w],
              c.dreamLength()[w]));
    }
    return line.toString();
  }

  /** Per way of dreaming: how it orders the controllers against the road, beside the baseline. */
  static Figures figures(Result result) {
    Figures figures = new Figures();
    List<Dreaming> ways = result.ways();
    String baseline = ways.get(0).label();
    double[] real = result.real(result.controllers());
    double[] realLater = result.real(result.later());
    double baseSpearman = Correlation.spearman(result.dream(result.controllers(), 0), real);
    double baseLater = Correlation.spearman(result.dream(result.later(), 0), realLater);
    double basePearson = Correlation.pearson(result.dream(result.controllers(), 0), real);
    double baseGap = meanGap(result, 0);
    double baseLength = meanLength(result, 0);
    for (int w = 0; w < ways.size(); w++) {
      String name = ways.get(w).label();
      double[] dream = result.dream(result.controllers(), w);
      figures.beside(
          "fidelity.spearman." + name,
          Correlation.spearman(dream, real),
          "rho",
          baseline,
          baseSpearman);
      figures.beside(
          "fidelity.spearman-later-half." + name,
          Correlation.spearman(result.dream(result.later(), w), realLater),
          "rho",
          baseline,
          baseLater);
      figures.beside(
          "fidelity.pearson." + name, Correlation.pearson(dream, real), "r", baseline, basePearson);
      figures.beside(
          "fidelity.dream-minus-real." + name, meanGap(result, w), "points", baseline, baseGap);
      figures.beside(
          "fidelity.dream-length." + name, meanLength(result, w), "steps", baseline, baseLength);
    }
    figures.add("fidelity.real-return-mean", mean(real), "points");
    figures.add("fidelity.controllers", result.controllers().size(), "controllers");
    return figures;
  }

  private static double meanGap(Result result, int way) {
    return result.controllers().stream()
        .mapToDouble(c -> c.dream()[way] - c.real().mean())
        .average()
        .orElse(Double.NaN);
  }

  private static double meanLength(Result result, int way) {
    return result.controllers().stream()
        .mapToDouble(c -> c.dreamLength()[way])
        .average()
        .orElse(Double.NaN);
  }

  private static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  private void write(Result result) {
    List<String> lines = new ArrayList<>();
    for (Controller c : result.controllers()) {
      StringBuilder dreams = new StringBuilder();
      for (int w = 0; w < result.ways().size(); w++) {
        dreams.append(
            String.format(
                Locale.ROOT,
                "%s\"%s\":{\"return\":%.2f,\"length\":%.1f}",
                w == 0 ? "" : ",",
                result.ways().get(w).label(),
                c.dream()[w],
                c.dreamLength()[w]));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"controllerVersion\":%d,\"checkpointVersion\":%d,\"realMean\":%.2f,"
                  + "\"realSd\":%.2f,\"dream\":{%s}}",
              c.version(),
              c.checkpoint(),
              c.real().mean(),
              c.real().sd(),
              dreams));
    }
    try {
      Files.createDirectories(settings.out());
      Path file = settings.out().resolve("dream-fidelity.jsonl");
      Files.write(file, lines);
      say.accept("Wrote " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to " + settings.out(), e);
    }
  }
}
