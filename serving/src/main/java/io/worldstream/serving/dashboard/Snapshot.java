package io.worldstream.serving.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;

/**
 * What the dashboard shows of the newest lineage at one moment: sent to every open page as JSON and
 * read back by the status line. Without a checkpoint yet, {@code lineage} and everything about it
 * are absent.
 *
 * @param time when it was taken, ISO-8601
 * @param rates env steps and latents per second, oldest first
 * @param evaluatorStaleness versions between the newest checkpoint and the one last evaluated
 * @param panels names the dream and real episode the server last pictured for the dashboard (its
 *     {@code /api/dashboard/…} answers); a page fetches them again when it changes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Snapshot(
    String time,
    List<Rate> rates,
    String lineage,
    Long latestVersion,
    Double checkpointAgeSeconds,
    List<Checkpoint> checkpoints,
    List<Evaluation> evaluations,
    Long evaluatorStaleness,
    Long evaluatedVersion,
    String panels,
    Best best) {

  /** Before the first tick: nothing measured yet. */
  static final Snapshot EMPTY =
      new Snapshot(null, List.of(), null, null, null, List.of(), List.of(), null, null, null, null);

  /** The best-driving controller found so far: the highest real check on the selection tracks. */
  record Best(long controllerVersion, Double realReturn) {}

  /** The pipeline's rates at time {@code t} (seconds since the epoch). */
  record Rate(double t, double stepsPerSecond, double latentsPerSecond) {}

  /** A checkpoint version with its losses (null where not finite or not measured). */
  record Checkpoint(long version, Double trainLoss, Double heldOutLoss, boolean corrupt) {}

  /** One search generation: its dream returns and, every few generations, the real check's. */
  record Evaluation(
      int index,
      long checkpointVersion,
      int generation,
      Double bestReturn,
      Double meanReturn,
      Double realReturn,
      Double realReturnSd,
      int realEpisodes,
      long controllerVersion,
      Double controllerDreamReturn) {}

  /**
   * The pipeline in one line: env steps/s, latents/s, the newest checkpoint with its age and
   * losses, the dream return of the controller the workers act with and the real return (mean ± sd
   * over the selection tracks) of the newest controller checked, and the best controller checked.
   */
  String statusLine() {
    StringBuilder line = new StringBuilder();
    if (!rates.isEmpty()) {
      Rate r = rates.get(rates.size() - 1);
      line.append(
          String.format(
              Locale.ROOT,
              "%.0f steps/s, %.0f latents/s",
              r.stepsPerSecond(),
              r.latentsPerSecond()));
    }
    if (lineage == null) {
      return line.append(", no checkpoint yet").toString();
    }
    Checkpoint newest = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
    line.append(
        String.format(
            Locale.ROOT,
            ", %s v%d %.0f s old, loss %s (held-out %s)",
            lineage,
            latestVersion,
            checkpointAgeSeconds,
            format(newest == null ? null : newest.trainLoss()),
            format(newest == null ? null : newest.heldOutLoss())));
    if (evaluations.isEmpty()) {
      return line.append(", no controller search yet").toString();
    }
    Evaluation e = evaluations.get(evaluations.size() - 1);
    line.append(
        String.format(
            Locale.ROOT,
            ", controller v%d dream %s (v%d gen %d)",
            e.controllerVersion(),
            format(e.controllerDreamReturn()),
            e.checkpointVersion(),
            e.generation()));
    Evaluation checked = null;
    for (Evaluation report : evaluations) {
      if (report.realReturn() != null) {
        checked = report;
      }
    }
    if (checked == null) {
      return line.append(", real -").toString();
    }
    return line.append(
            String.format(
                Locale.ROOT,
                ", real %s ± %s on %d tracks (controller v%d)",
                format(checked.realReturn()),
                format(checked.realReturnSd()),
                checked.realEpisodes(),
                checked.controllerVersion()))
        .append(
            best == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    ", best v%d real %s",
                    best.controllerVersion(),
                    format(best.realReturn())))
        .toString();
  }

  private static String format(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3g", value);
  }
}
