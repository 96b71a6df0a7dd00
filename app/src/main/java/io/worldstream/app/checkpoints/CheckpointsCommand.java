package io.worldstream.app.checkpoints;

import picocli.CommandLine.Command;

/** {@code worldstream checkpoints}: the registry from the command line, read from Kafka. */
@Command(
    name = "checkpoints",
    mixinStandardHelpOptions = true,
    description = "Lists, shows and downloads MDN-RNN checkpoints from wm.checkpoints.",
    subcommands = {
      CheckpointsCommand.List.class,
      CheckpointsCommand.Show.class,
      CheckpointsCommand.Latest.class,
      CheckpointsCommand.Download.class
    })
public final class CheckpointsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists every lineage's checkpoints, oldest first, one line each.")
  static final class List extends RegistryCommand {

    @picocli.CommandLine.Option(
        names = "--lineage",
        paramLabel = "NAME",
        description = "Only this lineage.")
    String lineage;

    @picocli.CommandLine.Option(
        names = "--vae",
        paramLabel = "VERSION",
        description = "Only checkpoints of this VAE version (a prefix is enough).")
    String vae;

    @picocli.CommandLine.Option(
        names = "--from",
        paramLabel = "INSTANT",
        description = "Only checkpoints created at or after this time (ISO-8601, UTC).")
    java.time.Instant from;

    @picocli.CommandLine.Option(
        names = "--to",
        paramLabel = "INSTANT",
        description = "Only checkpoints created before this time (ISO-8601, UTC).")
    java.time.Instant to;

    @Override
    int run(io.worldstream.serving.registry.CheckpointRegistry registry) {
      var out = out();
      out.printf(
          "%-20s %7s %7s %12s %9s %9s %10s %10s  %-20s %s%n",
          "LINEAGE",
          "VERSION",
          "PARENT",
          "STEPS",
          "EPISODES",
          "UPDATES",
          "TRAIN",
          "HELD-OUT",
          "CREATED",
          "MODEL");
      int shown = 0;
      for (var latest : registry.lineages()) {
        if (lineage != null && !lineage.equals(latest.lineage())) {
          continue;
        }
        for (var e :
            registry
                .versions(
                    latest.lineage(),
                    java.util.Optional.ofNullable(vae),
                    java.util.Optional.ofNullable(from),
                    java.util.Optional.ofNullable(to))
                .orElseThrow()) {
          out.printf(
              "%-20s %7d %7s %12d %9d %9d %10.4f %10s  %-20s %s%n",
              e.lineage(),
              e.version(),
              e.parentVersion().map(String::valueOf).orElse("-"),
              e.stepsTrained(),
              e.episodesTrained(),
              e.gradientSteps(),
              e.trainLoss(),
              e.heldOutLoss().map(l -> String.format("%.4f", l)).orElse("-"),
              e.createdTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
              e.corrupt() ? "CORRUPT: " + e.problem().get() : e.modelBytes() + " bytes");
          shown++;
        }
      }
      if (shown == 0) {
        out.println(
            lineage != null && registry.latest(lineage).isEmpty()
                ? "No lineage '" + lineage + "' on wm.checkpoints."
                : "No checkpoints match.");
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Prints one checkpoint as JSON, with the evaluations that ran on it and the best"
              + " controller found on it.")
  static final class Show extends RegistryCommand {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "LINEAGE")
    String lineage;

    @picocli.CommandLine.Parameters(index = "1", paramLabel = "VERSION")
    long version;

    @Override
    int run(io.worldstream.serving.registry.CheckpointRegistry registry) {
      var details =
          registry
              .details(lineage, version)
              .orElseThrow(() -> fail("No checkpoint v" + version + " of '" + lineage + "'."));
      printJson(io.worldstream.serving.http.RegistryAnswers.CheckpointDetails.of(details));
      return 0;
    }
  }

  @Command(
      name = "latest",
      mixinStandardHelpOptions = true,
      description = "Prints the newest checkpoint of a lineage (or of each lineage) as JSON.")
  static final class Latest extends RegistryCommand {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "LINEAGE", arity = "0..1")
    String lineage;

    @Override
    int run(io.worldstream.serving.registry.CheckpointRegistry registry) {
      if (lineage == null) {
        for (var e : registry.lineages()) {
          printJson(io.worldstream.serving.http.RegistryAnswers.Checkpoint.of(e));
        }
        return 0;
      }
      printJson(
          io.worldstream.serving.http.RegistryAnswers.Checkpoint.of(
              registry
                  .latest(lineage)
                  .orElseThrow(() -> fail("No lineage '" + lineage + "' on wm.checkpoints."))));
      return 0;
    }
  }

  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description = "Writes a checkpoint's ONNX model to a file, after checking its sha256.")
  static final class Download extends RegistryCommand {

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "LINEAGE")
    String lineage;

    @picocli.CommandLine.Parameters(index = "1", paramLabel = "VERSION")
    long version;

    @picocli.CommandLine.Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Where to write it (default: LINEAGE-vVERSION.onnx here).")
    java.nio.file.Path file;

    @Override
    int run(io.worldstream.serving.registry.CheckpointRegistry registry) throws Exception {
      var model = registry.model(lineage, version);
      if (model instanceof io.worldstream.serving.registry.CheckpointRegistry.Model.Corrupt c) {
        throw fail("Checkpoint v" + version + " of '" + lineage + "' is corrupt: " + c.reason());
      }
      if (model instanceof io.worldstream.serving.registry.CheckpointRegistry.Model.Gone g) {
        throw fail(
            "The model of checkpoint v"
                + version
                + " of '"
                + lineage
                + "' is no longer kept: "
                + g.reason());
      }
      if (!(model instanceof io.worldstream.serving.registry.CheckpointRegistry.Model.Found f)) {
        throw fail("No checkpoint v" + version + " of '" + lineage + "'.");
      }
      java.nio.file.Path target =
          file != null ? file : java.nio.file.Path.of(lineage + "-v" + version + ".onnx");
      java.nio.file.Files.write(target, f.onnx());
      out()
          .printf(
              "Wrote %s: checkpoint v%d of %s, %d bytes, sha256 %s%n",
              target, version, lineage, f.onnx().length, f.entry().sha256());
      return 0;
    }
  }
}
