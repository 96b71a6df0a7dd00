package io.worldstream.envs.carracing;

import static io.worldstream.envs.carracing.CarRacingConstants.CHECKPOINTS;
import static io.worldstream.envs.carracing.CarRacingConstants.SCALE;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_DETAIL_STEP;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_RAD;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_TURN_RATE;

import io.worldstream.envs.random.Pcg64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gymnasium's CarRacing track generator (spec §4): random checkpoints on a deformed circle, a
 * centre line traced by steering towards them for about five laps, one closed lap cut out of it,
 * and curb flags. The oddities of the original (unwrapped β, in-place curb propagation, the glue
 * check's component-wise scaling) are kept on purpose: they decide which seed gives which track.
 */
final class TrackGenerator {

  private static final double START_ALPHA = 2 * Math.PI * -0.5 / CHECKPOINTS;
  private static final int TRACE_LIMIT = 2500;
  private static final int BORDER_MIN_COUNT = 4;

  private TrackGenerator() {}

  /** Draws attempts from {@code rng} until one succeeds. */
  static Track generate(Pcg64 rng) {
    for (int attempt = 1; ; attempt++) {
      Optional<Track> track = attempt(rng, attempt);
      if (track.isPresent()) {
        return track.get();
      }
    }
  }

  private static Optional<Track> attempt(Pcg64 rng, int attempt) {
    List<Track.Checkpoint> checkpoints = checkpoints(rng);
    List<Track.Point> trace = trace(checkpoints);
    return closedLap(trace).map(lap -> new Track(checkpoints, lap, borders(lap), attempt));
  }

  /** §4.1: all 24 numbers are drawn, even those that the first and last checkpoint overwrite. */
  private static List<Track.Checkpoint> checkpoints(Pcg64 rng) {
    List<Track.Checkpoint> checkpoints = new ArrayList<>(CHECKPOINTS);
    for (int c = 0; c < CHECKPOINTS; c++) {
      double noise = rng.uniform(0, 2 * Math.PI / CHECKPOINTS);
      double alpha = 2 * Math.PI * c / CHECKPOINTS + noise;
      double rad = rng.uniform(TRACK_RAD / 3, TRACK_RAD);
      if (c == 0) {
        alpha = 0;
        rad = 1.5 * TRACK_RAD;
      }
      if (c == CHECKPOINTS - 1) {
        alpha = 2 * Math.PI * c / CHECKPOINTS;
        rad = 1.5 * TRACK_RAD;
      }
      checkpoints.add(new Track.Checkpoint(alpha, rad * Math.cos(alpha), rad * Math.sin(alpha)));
    }
    return checkpoints;
  }

  /** §4.2: trace the centre line around the origin about five times. */
  private static List<Track.Point> trace(List<Track.Checkpoint> checkpoints) {
    double x = 1.5 * TRACK_RAD;
    double y = 0;
    double beta = 0;
    int destI = 0;
    int laps = 0;
    boolean visitedOtherSide = false;
    List<Track.Point> track = new ArrayList<>();
    for (int remaining = TRACE_LIMIT; remaining > 0; remaining--) {
      double alpha = Math.atan2(y, x);
      if (visitedOtherSide && alpha > 0) {
        laps++;
        visitedOtherSide = false;
      }
      if (alpha < 0) {
        visitedOtherSide = true;
        alpha += 2 * Math.PI;
      }
      Track.Checkpoint dest;
      while (true) {
        boolean failed = true;
        while (true) {
          dest = checkpoints.get(destI % checkpoints.size());
          if (alpha <= dest.alpha()) {
            failed = false;
            break;
          }
          destI++;
          if (destI % checkpoints.size() == 0) {
            break;
          }
        }
        if (!failed) {
          break;
        }
        alpha -= 2 * Math.PI;
      }

      double r1x = Math.cos(beta);
      double r1y = Math.sin(beta);
      double p1x = -r1y;
      double p1y = r1x;
      double destDx = dest.x() - x;
      double destDy = dest.y() - y;
      double proj = r1x * destDx + r1y * destDy;
      while (beta - alpha > 1.5 * Math.PI) {
        beta -= 2 * Math.PI;
      }
      while (beta - alpha < -1.5 * Math.PI) {
        beta += 2 * Math.PI;
      }
      double prevBeta = beta;
      proj *= SCALE;
      if (proj > 0.3) {
        beta -= Math.min(TRACK_TURN_RATE, Math.abs(0.001 * proj));
      }
      if (proj < -0.3) {
        beta += Math.min(TRACK_TURN_RATE, Math.abs(0.001 * proj));
      }
      x += p1x * TRACK_DETAIL_STEP;
      y += p1y * TRACK_DETAIL_STEP;
      track.add(new Track.Point(alpha, prevBeta * 0.5 + beta * 0.5, x, y));
      if (laps > 4) {
        break;
      }
    }
    return track;
  }

  /** §4.3 and §4.4: cut one lap between the last two crossings of the start angle, and glue it. */
  private static Optional<List<Track.Point>> closedLap(List<Track.Point> track) {
    int i1 = -1;
    int i2 = -1;
    int i = track.size();
    while (true) {
      i--;
      if (i == 0) {
        return Optional.empty();
      }
      boolean passThroughStart =
          track.get(i).alpha() > START_ALPHA && track.get(i - 1).alpha() <= START_ALPHA;
      if (passThroughStart && i2 == -1) {
        i2 = i;
      } else if (passThroughStart && i1 == -1) {
        i1 = i;
        break;
      }
    }
    List<Track.Point> lap = List.copyOf(track.subList(i1, i2 - 1));
    Track.Point first = lap.get(0);
    Track.Point last = lap.get(lap.size() - 1);
    double glue =
        Math.sqrt(
            square(Math.cos(first.beta()) * (first.x() - last.x()))
                + square(Math.sin(first.beta()) * (first.y() - last.y())));
    return glue > TRACK_DETAIL_STEP ? Optional.empty() : Optional.of(lap);
  }

  /** §4.5: sharp same-direction turns get curbs, spread in place to the three tiles before. */
  private static boolean[] borders(List<Track.Point> lap) {
    int n = lap.size();
    boolean[] border = new boolean[n];
    for (int i = 0; i < n; i++) {
      boolean good = true;
      int oneside = 0;
      for (int neg = 0; neg < BORDER_MIN_COUNT; neg++) {
        double beta1 = lap.get(Math.floorMod(i - neg, n)).beta();
        double beta2 = lap.get(Math.floorMod(i - neg - 1, n)).beta();
        good &= Math.abs(beta1 - beta2) > TRACK_TURN_RATE * 0.2;
        oneside += (int) Math.signum(beta1 - beta2);
      }
      border[i] = good && Math.abs(oneside) == BORDER_MIN_COUNT;
    }
    for (int i = 0; i < n; i++) {
      for (int neg = 0; neg < BORDER_MIN_COUNT; neg++) {
        border[Math.floorMod(i - neg, n)] |= border[i];
      }
    }
    return border;
  }

  private static double square(double v) {
    return v * v;
  }
}
