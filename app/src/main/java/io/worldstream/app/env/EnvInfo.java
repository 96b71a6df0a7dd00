package io.worldstream.app.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldstream.app.CommandFailure;
import io.worldstream.app.Worldstream;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.carracing.Track;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Prints the CarRacing track of a seed as JSON: tiles, lap length, start pose, checkpoints.")
final class EnvInfo implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Episode seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--domain-randomize",
      description = "Random colours (they change which track a seed gives).")
  boolean domainRandomize;

  @Override
  public Integer call() throws Exception {
    if (seed < 0) {
      throw new CommandFailure("--seed must be non-negative, not " + seed, Worldstream.USAGE, null);
    }
    try (CarRacing env =
        new CarRacing(CarRacing.Options.defaults().withDomainRandomize(domainRandomize))) {
      env.reset(seed);
      Track track = env.track();
      CarRacing.CarState car = env.carState();
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode out = json.createObjectNode();
      out.put("envId", env.id());
      out.put("seed", seed);
      out.put("domainRandomize", domainRandomize);
      out.put("tiles", track.size());
      out.put("lapLengthMetres", Math.round(track.length() * 10) / 10.0);
      out.put("curbTiles", track.borderTiles().length);
      out.put("generationAttempts", track.attempts());
      Track.Point first = track.points().get(0);
      ObjectNode start = out.putObject("start");
      start.put("x", first.x());
      start.put("y", first.y());
      start.put("angle", first.beta());
      ObjectNode afterReset = out.putObject("carAfterReset");
      afterReset.put("x", car.x());
      afterReset.put("y", car.y());
      afterReset.put("angle", car.angle());
      afterReset.put("tilesVisited", car.tilesVisited());
      ArrayNode checkpoints = out.putArray("checkpoints");
      for (Track.Checkpoint c : track.checkpoints()) {
        checkpoints.addObject().put("alpha", c.alpha()).put("x", c.x()).put("y", c.y());
      }
      spec.commandLine().getOut().println(json.writeValueAsString(out));
      return 0;
    }
  }
}
