package io.worldstream.app;

import io.worldstream.serving.ServingSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where serving listens, as {@link ServingSettings}. */
public final class ServingOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = ServingSettings.DEFAULT_HOST,
      description =
          "Address the HTTP server binds; 127.0.0.1 answers this machine only (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--models-kept",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Model bytes kept in memory per lineage, the newest; older ones are read again from"
              + " wm.checkpoints when asked for (default: ${DEFAULT-VALUE}).")
  int modelsKept;

  @Option(
      names = "--dreams-at-once",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "On-demand dreams running at once at most; more are turned away with 429"
              + " (default: ${DEFAULT-VALUE}).")
  int dreamsAtOnce;

  @Mixin ThinningOptions thinning;

  public ServingSettings settings() {
    return Commands.settings(
        command,
        () ->
            new ServingSettings(
                host,
                port,
                modelsKept,
                dreamsAtOnce,
                ServingSettings.defaults().threads(),
                ServingSettings.defaults().dashboardInterval(),
                thinning.thinning()));
  }
}
