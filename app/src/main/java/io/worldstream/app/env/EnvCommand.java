package io.worldstream.app.env;

import picocli.CommandLine.Command;

/** {@code worldstream env}: look at and measure the environments. */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = "Shows and measures the environments (CarRacing-v3).",
    subcommands = {EnvInfo.class, EnvShow.class})
public final class EnvCommand {}
