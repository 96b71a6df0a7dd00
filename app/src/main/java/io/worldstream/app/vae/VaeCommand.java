package io.worldstream.app.vae;

import picocli.CommandLine.Command;

/** {@code worldstream vae}: train and inspect the VAE. */
@Command(
    name = "vae",
    mixinStandardHelpOptions = true,
    description =
        "Trains the VAE (V) and writes it as ONNX with a model card; publishes one to wm.vae.",
    subcommands = {VaeTrain.class, VaePublish.class})
public final class VaeCommand {}
