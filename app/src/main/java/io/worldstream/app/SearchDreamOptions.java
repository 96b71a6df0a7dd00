package io.worldstream.app;

import io.worldstream.serving.evaluator.EvaluatorSettings;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/**
 * How the controller search's dreams are drawn and rated, and when the search falls back to the
 * best checked controller, for {@code evaluate} and the loop.
 */
public final class SearchDreamOptions {

  @Option(
      names = "--horizon",
      paramLabel = "STEPS",
      defaultValue = "1000",
      description = "Dream steps per rollout at most (default: ${DEFAULT-VALUE}).")
  int horizon;

  @Option(
      names = "--rollouts-until-driving",
      paramLabel = "N",
      description =
          "Dream rollouts per candidate until a checked controller drives (200 or more, rechecked),"
              + " for more search generations a minute while none does; real checks then come"
              + " after as much dreaming as at --rollouts (default: as many as --rollouts).")
  Integer rolloutsUntilDriving;

  @Option(
      names = "--temperature",
      paramLabel = "TAU",
      defaultValue = "1.15",
      description = "Dream temperature τ of the MDN sampling (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(
      names = "--dream-dropout",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Each dream rollout drops units of the MDN-RNN's state before its heads with this"
              + " probability, one mask per rollout, so the search cannot exploit one model's"
              + " errors; 0 dreams with the whole model (default: ${DEFAULT-VALUE}).")
  double dreamDropout;

  @Option(
      names = "--dream-dropout-from",
      paramLabel = "RETURN",
      defaultValue = "0",
      description =
          "Dream with --dream-dropout only once a checked controller (rechecked) drove this real"
              + " return, and with the whole model until then; 0 drops out from the start"
              + " (default: ${DEFAULT-VALUE}).")
  double dreamDropoutFrom;

  @Option(
      names = "--mid-episode-starts",
      paramLabel = "SHARE",
      defaultValue = "0",
      description =
          "Share of the search's dreams that begin from a state later in a real episode instead of"
              + " its first step, so the search also sees bends taken at speed (default:"
              + " ${DEFAULT-VALUE}).")
  double midEpisodeStarts;

  @Option(
      names = "--mid-episode-starts-from",
      paramLabel = "RETURN",
      defaultValue = "0",
      description =
          "Start dreams mid-episode only once a checked controller (rechecked) drove this real"
              + " return, and from episodes' first steps alone until then; 0 from the start"
              + " (default: ${DEFAULT-VALUE}).")
  double midEpisodeStartsFrom;

  @Option(
      names = "--common-dreams",
      paramLabel = "true|false",
      defaultValue = "false",
      arity = "0..1",
      description =
          "Every candidate of a search generation drives the same dreams (the same starts, dropout"
              + " masks and sampling noise), so candidates are ranked by what they do rather than"
              + " by the luck of their dreams (default: ${DEFAULT-VALUE}).")
  boolean commonDreams;

  @Option(
      names = "--worst-share",
      paramLabel = "SHARE",
      defaultValue = "1",
      description =
          "A candidate's fitness is the mean return of this share of its dream rollouts, the worst"
              + " ones: 1 averages them all, 0.5 rates a controller by the dreams it drives badly in,"
              + " so the search prefers reliable controllers to lucky ones (default:"
              + " ${DEFAULT-VALUE}).")
  double worstShare;

  @Option(
      names = "--dream-models",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "Each candidate's rollouts dream in the newest checkpoint's model and the ones before"
              + " it, K in all, so a controller must drive well in several versions of the model"
              + " rather than exploit one's errors; 1 dreams in the newest alone (default:"
              + " ${DEFAULT-VALUE}).")
  int dreamModels;

  @Option(
      names = "--fall-back-margin",
      paramLabel = "RETURN",
      description =
          "When a real check scores more than this below the best controller checked so far, the"
              + " search goes back to that controller and searches on around it (default: never).")
  Double fallBackMargin;

  @Option(
      names = "--learn-from-checks",
      paramLabel = "true|false",
      defaultValue = "false",
      arity = "0..1",
      description =
          "Every step the real checks drive also goes to wm.experience, as a worker's steps do, so"
              + " the world model learns from the published controller's own driving on the"
              + " selection tracks, experience the checks have paid for (default: ${DEFAULT-VALUE}).")
  boolean learnFromChecks;

  /** These dreams, the fall-back and what the checks feed, in {@code search}. */
  EvaluatorSettings.Builder applyTo(EvaluatorSettings.Builder search) {
    return search
        .horizon(horizon)
        .rolloutsUntilDriving(rolloutsUntilDriving)
        .temperature(temperature)
        .dreamDropout(dreamDropout)
        .dreamDropoutFrom(dreamDropoutFrom)
        .midEpisodeStarts(midEpisodeStarts)
        .midEpisodeStartsFrom(midEpisodeStartsFrom)
        .commonDreams(commonDreams)
        .worstShare(worstShare)
        .dreamModels(dreamModels)
        .learnFromChecks(learnFromChecks)
        .fallBackMargin(
            fallBackMargin == null ? OptionalDouble.empty() : OptionalDouble.of(fallBackMargin));
  }
}
