package io.worldstream.serving.http;

import static io.worldstream.serving.http.JsonNumbers.finite;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.LossParts;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.util.List;

/**
 * What the registry's endpoints answer, as records the JSON mapper writes field by field: their
 * component names are the contract (docs/API.md). Times are ISO-8601 instants; a loss that is not a
 * finite number is null.
 */
public final class RegistryAnswers {

  private RegistryAnswers() {}

  /** {@code GET /api/lineages}. */
  public record Lineages(List<Lineage> lineages) {}

  /** A lineage with its newest checkpoint. */
  public record Lineage(String lineage, String vaeVersion, Checkpoint latest) {
    static Lineage of(CheckpointEntry latest) {
      return new Lineage(latest.lineage(), latest.vaeVersion(), Checkpoint.of(latest));
    }
  }

  /** {@code GET /api/lineages/{lineage}/checkpoints}. */
  public record Checkpoints(String lineage, List<Checkpoint> checkpoints) {}

  /** One checkpoint, as every endpoint that names one shows it. */
  public record Checkpoint(
      String lineage,
      long version,
      Long parentVersion,
      String vaeVersion,
      long stepsTrained,
      long episodesTrained,
      long gradientSteps,
      Double trainLoss,
      Double heldOutLoss,
      Losses trainLossParts,
      Losses heldOutLossParts,
      String createdTime,
      String sha256,
      int modelBytes,
      boolean corrupt,
      String problem,
      String thinned) {

    public static Checkpoint of(CheckpointEntry e) {
      return new Checkpoint(
          e.lineage(),
          e.version(),
          e.parentVersion().orElse(null),
          e.vaeVersion(),
          e.stepsTrained(),
          e.episodesTrained(),
          e.gradientSteps(),
          finite(e.trainLoss()),
          e.heldOutLoss().map(JsonNumbers::finite).orElse(null),
          e.trainLossParts().map(Losses::of).orElse(null),
          e.heldOutLossParts().map(Losses::of).orElse(null),
          e.createdTime().toString(),
          e.sha256(),
          e.modelBytes(),
          e.corrupt(),
          e.problem().orElse(null),
          e.thinned().orElse(null));
    }
  }

  /** A loss in its parts: the latent's negative log-likelihood, reward and done. */
  public record Losses(Double nll, Double rewardMse, Double doneBce) {
    static Losses of(LossParts parts) {
      return new Losses(
          finite(parts.getNll()), finite(parts.getRewardMse()), finite(parts.getDoneBce()));
    }
  }

  /**
   * {@code GET /api/lineages/{lineage}/checkpoints/{version}}: the checkpoint's fields, the
   * evaluations that ran on it and the best controller found on it.
   */
  public record CheckpointDetails(
      @JsonUnwrapped Checkpoint checkpoint,
      List<Evaluation> evaluations,
      Controller bestController) {

    public static CheckpointDetails of(CheckpointRegistry.Details details) {
      return new CheckpointDetails(
          Checkpoint.of(details.checkpoint()),
          details.evaluations().stream().map(Evaluation::of).toList(),
          details.bestController().map(Controller::of).orElse(null));
    }
  }

  /** One search generation on a checkpoint. */
  public record Evaluation(
      int generation,
      int populationSize,
      int rolloutsPerCandidate,
      double temperature,
      Double bestReturn,
      Double meanReturn,
      Double stdReturn,
      Double sigma,
      long controllerVersion,
      Double controllerDreamReturn,
      Double realReturn,
      int realEpisodes,
      Double realReturnSd,
      long wallMillis,
      String createdTime) {

    static Evaluation of(EvaluationReport r) {
      return new Evaluation(
          r.getGeneration(),
          r.getPopulationSize(),
          r.getRolloutsPerCandidate(),
          r.getTemperature(),
          finite(r.getBestReturn()),
          finite(r.getMeanReturn()),
          finite(r.getStdReturn()),
          finite(r.getSigma()),
          r.getControllerVersion(),
          finite(r.getControllerDreamReturn()),
          r.getRealReturn() == null ? null : finite(r.getRealReturn()),
          r.getRealEpisodes(),
          r.getRealReturnSd() == null ? null : finite(r.getRealReturnSd()),
          r.getWallMillis(),
          r.getCreatedTime().toString());
    }
  }

  /** A published controller. */
  public record Controller(
      long version,
      long checkpointVersion,
      int generation,
      Double dreamReturn,
      Double realReturn,
      int inputSize,
      int outputSize,
      String createdTime) {

    static Controller of(ControllerUpdate c) {
      return new Controller(
          c.getVersion(),
          c.getCheckpointVersion(),
          c.getGeneration(),
          finite(c.getDreamReturn()),
          c.getRealReturn() == null ? null : finite(c.getRealReturn()),
          c.getInputSize(),
          c.getOutputSize(),
          c.getCreatedTime().toString());
    }
  }

  /**
   * A controller with its parameters, to drive with ({@code "controller": "parameters"} on its
   * checkpoint).
   *
   * @param parameters W (3 × 288, row-major) then b (3)
   */
  public record CheckedController(@JsonUnwrapped Controller controller, List<Float> parameters) {

    static CheckedController of(ControllerUpdate c) {
      List<Float> parameters = new java.util.ArrayList<>(c.getWeights());
      parameters.addAll(c.getBias());
      return new CheckedController(Controller.of(c), parameters);
    }
  }
}
