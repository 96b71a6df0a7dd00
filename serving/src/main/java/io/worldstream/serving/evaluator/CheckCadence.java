package io.worldstream.serving.evaluator;

/**
 * When the evaluator's next real check is due: every {@link EvaluatorSettings#realCheckEvery}
 * generations of {@link EvaluatorSettings#rolloutsPerCandidate} dreams each, so a generation of
 * fewer dreams ({@link EvaluatorSettings#rolloutsUntilDriving}) counts for its share and the real
 * check costs as many real steps per minute of dreaming, however many rollouts a generation scores
 * on.
 */
final class CheckCadence {

  /** Dreams per candidate between two checks; 0 never checks. */
  private final long between;

  /** Dreams per candidate since the last check. */
  private long dreamt;

  CheckCadence(EvaluatorSettings settings) {
    this.between = (long) settings.realCheckEvery() * settings.rolloutsPerCandidate();
  }

  /** Counts a generation of {@code rollouts} dreams per candidate: whether it ends with a check. */
  boolean dueAfter(int rollouts) {
    if (between == 0) {
      return false;
    }
    dreamt += rollouts;
    if (dreamt < between) {
      return false;
    }
    dreamt = 0;
    return true;
  }
}
