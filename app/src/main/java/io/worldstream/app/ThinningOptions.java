package io.worldstream.app;

import io.worldstream.serving.registry.ModelThinning;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a server thins older checkpoint models, as {@link ModelThinning}. */
public final class ThinningOptions {

  @Option(
      names = "--keep-newest-models",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "Checkpoint versions of a lineage that always keep their model on wm.checkpoints; older"
              + " ones keep one in 2, 4, 8 … as they age, and the checkpoints of the newest and the"
              + " best-driving controllers keep theirs (default: ${DEFAULT-VALUE}).")
  int keepNewestModels;

  @Option(
      names = "--keep-every-model",
      description =
          "Thin no checkpoint models: wm.checkpoints then keeps every model until its size bound"
              + " (4 GiB) removes the oldest.")
  boolean keepEveryModel;

  /** Thinning as asked for, or none. */
  public Optional<ModelThinning> thinning() {
    if (keepEveryModel) {
      return Optional.empty();
    }
    ModelThinning defaults = ModelThinning.defaults();
    return Optional.of(
        new ModelThinning(keepNewestModels, defaults.bestControllers(), defaults.every()));
  }
}
