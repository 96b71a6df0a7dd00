package io.worldstream.app;

import io.worldstream.broker.BrokerService;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The embedded broker's options, as {@link BrokerService.Settings}. */
public final class BrokerOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Mixin DataDirOption data;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "" + BrokerService.Settings.DEFAULT_PORT,
      description = "Client port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--no-topics",
      negatable = false,
      description = "Do not create the catalogue's topics at start.")
  boolean noTopics;

  public BrokerService.Settings settings() {
    return Commands.settings(
        command, () -> new BrokerService.Settings(data.dataDir, port, !noTopics));
  }
}
