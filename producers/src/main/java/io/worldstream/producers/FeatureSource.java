package io.worldstream.producers;

import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.records.ControllerUpdate;

/**
 * Where a controller's features come from: the world model it was trained in, if this worker has
 * it.
 */
interface FeatureSource {

  /** Features for one controller, or why there are none. */
  sealed interface Features {
    /** A fresh extractor (one per environment: it holds recurrent state). */
    record Ready(FeatureExtractor extractor) implements Features {}

    record Missing(String reason) implements Features {}
  }

  Features forController(ControllerUpdate controller);

  /** A source that never has features. */
  static FeatureSource none(String reason) {
    return controller -> new Features.Missing(reason);
  }
}
