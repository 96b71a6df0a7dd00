package io.worldstream.serving.registry;

import io.worldstream.service.InvalidSettingException;
import java.time.Duration;

/**
 * Which checkpoints of a lineage keep their model on {@code wm.checkpoints} as the lineage grows. A
 * learner publishes a 1.6 MB model every few seconds; kept for a week that is tens of gigabytes, of
 * which almost nothing is read again. The newest {@code newest} versions keep theirs; older ones
 * keep one model in 2, then one in 4, 8, … as their age doubles (a version keeps its model at every
 * age up to the one it is first thinned at, so what thinning drops is never needed later), which
 * keeps about {@code newest + newest / 2 · log2(versions / newest)} models: some 360 after a week
 * of a version every 15 s. The checkpoints of the lineage's newest controller and of its {@code
 * bestControllers} best-driving controllers (by real return) keep theirs too, so they can still be
 * driven. Every version's metadata stays.
 *
 * @param newest how many of the newest versions always keep their model
 * @param bestControllers how many controllers with the highest real return keep their checkpoint's
 * @param every how often a server thins
 */
public record ModelThinning(int newest, int bestControllers, Duration every) {

  public ModelThinning {
    InvalidSettingException.atLeast("keep-newest-models", "newest models kept", newest, 1);
    InvalidSettingException.atLeast(
        "keep-best-controllers", "best controllers' models kept", bestControllers, 0);
    InvalidSettingException.positive("thin-every", "how often models are thinned", every);
  }

  public static ModelThinning defaults() {
    return new ModelThinning(64, 8, Duration.ofMinutes(1));
  }

  /**
   * Whether a version keeps its model by its age alone, when {@code newestVersion} is the lineage's
   * newest: always while it is among the newest; then while its number is a multiple of 2 for ages
   * up to 2·newest, of 4 up to 4·newest, and so on.
   */
  public boolean keepsByAge(long version, long newestVersion) {
    long age = newestVersion - version;
    if (age < newest) {
      return true;
    }
    int doublings = 63 - Long.numberOfLeadingZeros(age / newest);
    long stride = 1L << Math.min(doublings + 1, 62);
    return version % stride == 0;
  }

  /** Why a thinned version's model is gone, as the registry tells whoever asks for it. */
  public String reason() {
    return "thinned to keep wm.checkpoints bounded: the newest "
        + newest
        + " versions of a lineage keep their model, older ones one in 2, 4, 8 … as they age, and"
        + " the checkpoints of the newest and the "
        + bestControllers
        + " best-driving controllers theirs";
  }
}
