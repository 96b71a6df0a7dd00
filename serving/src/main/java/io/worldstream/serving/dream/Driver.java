package io.worldstream.serving.dream;

import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.LinearController;
import io.worldstream.envs.policy.Policy;
import io.worldstream.envs.policy.RandomPolicy;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.serving.evaluator.Controllers;
import io.worldstream.serving.registry.CheckpointEntry;
import io.worldstream.serving.registry.CheckpointRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * Who drives a requested dream or episode: a linear controller (the best found for the checkpoint,
 * or parameters the request gives) or, without one, random or brownian driving.
 *
 * @param name the controller as the request named it
 * @param found the controller the evaluator published, when the best was asked for
 * @param parameters the linear controller's parameters, or null for random and brownian driving
 */
record Driver(DreamRequest.Controller name, Optional<ControllerUpdate> found, float[] parameters) {

  private static final ActionSpec.Box CAR_RACING_ACTIONS =
      new ActionSpec.Box(
          new double[] {-1, 0, 0}, new double[] {1, 1, 1}, new String[] {"steer", "gas", "brake"});

  /**
   * The driver a request names for this checkpoint. The best controller is the best found on the
   * checkpoint, or else the newest of its lineage (found on an earlier checkpoint: the search on
   * this one has not published yet).
   *
   * @throws Refused when the best is asked for and none has been found
   */
  static Driver of(
      DreamRequest.Controller controller,
      Optional<double[]> parameters,
      CheckpointRegistry registry,
      CheckpointEntry checkpoint) {
    return switch (controller) {
      case BEST -> {
        ControllerUpdate best =
            registry
                .details(checkpoint.lineage(), checkpoint.version())
                .flatMap(CheckpointRegistry.Details::bestController)
                .or(() -> registry.newestController(checkpoint.lineage()))
                .orElseThrow(
                    () ->
                        new Refused(
                            Refused.Kind.CONFLICT,
                            "no controller has been found for "
                                + checkpoint.lineage()
                                + " yet; ask for \"random\", \"brownian\" or \"parameters\""));
        yield new Driver(
            controller, Optional.of(best), Controllers.toFloats(Controllers.parameters(best)));
      }
      case PARAMETERS ->
          new Driver(controller, Optional.empty(), Controllers.toFloats(parameters.orElseThrow()));
      case RANDOM, BROWNIAN -> new Driver(controller, Optional.empty(), null);
    };
  }

  /** The controller's name as answers give it: best, parameters, random or brownian. */
  String label() {
    return name.name().toLowerCase(Locale.ROOT);
  }

  Optional<Long> controllerVersion() {
    return found.map(ControllerUpdate::getVersion);
  }

  /** The linear controller of the parameters (only for a driver with them). */
  LinearController linear() {
    double[] asDoubles = new double[parameters.length];
    for (int i = 0; i < asDoubles.length; i++) {
      asDoubles[i] = parameters[i];
    }
    return Controllers.controller(asDoubles);
  }

  /** Random or brownian driving with this seed (only for a driver without parameters). */
  Policy policy(long seed) {
    return name == DreamRequest.Controller.RANDOM
        ? new RandomPolicy(CAR_RACING_ACTIONS, seed)
        : new BrownianPolicy(CAR_RACING_ACTIONS, seed);
  }
}
