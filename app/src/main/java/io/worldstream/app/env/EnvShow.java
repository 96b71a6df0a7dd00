package io.worldstream.app.env;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.Worldstream;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Step;
import io.worldstream.envs.carracing.CarRacing;
import io.worldstream.envs.carracing.EpisodePicture;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.Policy;
import io.worldstream.envs.policy.RandomPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one episode and writes a picture of it: the track with the car's path, and frames.",
    })
final class EnvShow implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Episode seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "300",
      description = "Steps to run at most (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--policy",
      paramLabel = "P",
      defaultValue = "brownian",
      description = "random or brownian (default: ${DEFAULT-VALUE}).")
  String policyName;

  @Option(
      names = "--frames",
      paramLabel = "F",
      defaultValue = "16",
      description = "Observations in the grid (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--out",
      paramLabel = "FILE.png",
      required = true,
      description = "Where to write the PNG.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (seed < 0 || steps < 1 || frames < 1) {
      throw new CommandFailure(
          "--seed must be non-negative, --steps and --frames positive", Worldstream.USAGE, null);
    }
    try (CarRacing env = new CarRacing(CarRacing.Options.defaults())) {
      Policy policy =
          switch (policyName) {
            case RandomPolicy.ID -> new RandomPolicy(env.actionSpec(), seed);
            case BrownianPolicy.ID -> new BrownianPolicy(env.actionSpec(), seed);
            default ->
                throw new CommandFailure(
                    "Unknown policy '" + policyName + "'; env show knows random and brownian",
                    Worldstream.USAGE,
                    null);
          };
      Pixels observation = env.reset(seed).observation();
      EpisodePicture picture =
          new EpisodePicture(
              env.track(), "CarRacing-v3 seed " + seed + ", " + policy.id() + " policy");
      int every = Math.max(1, steps / frames);
      double episodeReturn = 0;
      int step = 0;
      while (step < steps) {
        Step result = env.step(policy.act(observation));
        step++;
        episodeReturn += result.reward();
        observation = result.observation();
        CarRacing.CarState car = env.carState();
        picture.addPosition(car.x(), car.y());
        if (step % every == 0) {
          picture.addFrame(step, observation);
        }
        if (result.done()) {
          break;
        }
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ImageIO.write(picture.render(), "png", out.toFile());
      spec.commandLine()
          .getOut()
          .printf(
              "Wrote %s: seed %d, %d steps, return %.1f, %d of %d tiles visited%n",
              out, seed, step, episodeReturn, env.carState().tilesVisited(), env.track().size());
      return 0;
    }
  }
}
