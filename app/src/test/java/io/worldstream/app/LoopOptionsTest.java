package io.worldstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.worldstream.encode.EncoderSettings;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.producers.Exploration;
import io.worldstream.producers.WorkerSettings;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.evaluator.EvaluatorSettings;
import io.worldstream.train.learner.Learner;
import io.worldstream.train.learner.LearnerSettings;
import io.worldstream.train.learner.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code up} runs each part as the part's own command would, with the keys given for it. */
class LoopOptionsTest {

  @TempDir Path dir;

  /** The loop {@code up args} would run, reading settings from {@code env}. */
  private UpCommand.Loop up(Map<String, String> env, String... args) {
    CommandLine cli = Worldstream.commandLine(env);
    String[] all = new String[args.length + 3];
    all[0] = "up";
    all[1] = "--data-dir";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    cli.parseArgs(all);
    UpCommand up = cli.getSubcommands().get("up").getCommand();
    return up.sizes.loop(dir, 9092, 8080, Duration.ofSeconds(5));
  }

  @Test
  void shouldRunThePartsAsUpDidWhenNoKeyIsGiven() {
    UpCommand.Loop loop = up(Map.of());

    assertThat(loop.encoder())
        .isEqualTo(EncoderSettings.defaults(EncoderSettings.stateDirUnder(dir)));
    assertThat(loop.train())
        .isEqualTo(
            TrainSettings.defaults(dir)
                .withSequences(
                    32,
                    16,
                    0,
                    LearnerSettings.defaults().trainRatio(),
                    LearnerSettings.defaults().replayCapacity())
                .withAverageDecay(LearnerSettings.DEFAULT_AVERAGE_DECAY));
    ServingSettings serving = ServingSettings.defaults();
    assertThat(loop.serving()).isEqualTo(serving);
    assertThat(loop.evaluator())
        .isEqualTo(EvaluatorSettings.builder().populationSize(32).rolloutsPerCandidate(8).build());
    WorkerSettings workers = loop.workers();
    assertThat(workers.env()).isEqualTo(WorkerSettings.defaults().env());
    assertThat(workers.maxEpisodeSteps()).isEqualTo(WorkerSettings.defaults().maxEpisodeSteps());
    assertThat(workers.lineage())
        .as("the default VAE's lineage")
        .isEqualTo(Learner.lineage(ModelVersion.of(DefaultVae.encoder())));
    assertThat(workers.seed()).isEmpty();
    assertThat(workers.maxFps()).isEmpty();
    assertThat(workers.envs()).isEqualTo(1);
    assertThat(workers.policy()).isEqualTo(WorkerSettings.Policy.CONTROLLER);
    assertThat(workers.exploration()).isEqualTo(Exploration.DEFAULT);
    assertThat(workers.episodes()).isEmpty();
    assertThat(workers.progressInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(loop.train().progressInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldSetAPartWithItsCommandsKeys() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("loop.properties"),
            "encode.batch-size=64\ntrain.learning-rate=3e-4\nevaluate.sigma=0.2\n");

    UpCommand.Loop loop =
        up(
            Map.of("WORLDSTREAM_WORKER_MAX_FPS", "25", "WORLDSTREAM_SERVE_MODELS_KEPT", "6"),
            "--config",
            file.toString());

    assertThat(loop.encoder().batching().batchSize()).isEqualTo(64);
    assertThat(loop.train().learner().learningRate()).isEqualTo(3e-4f);
    assertThat(loop.evaluator().initialSigma()).isEqualTo(0.2);
    assertThat(loop.workers().maxFps()).hasValue(25.0);
    assertThat(loop.serving().modelsKept()).isEqualTo(6);
    assertThat(loop.serving().port()).as("up's own port, not serve's default").isEqualTo(8080);
    assertThat(loop.evaluator().populationSize()).as("up's default, untouched").isEqualTo(32);
  }

  @Test
  void shouldLetAFlagOfUpSetThePartsFlagOfTheSameNameOverThePartsKey() {
    Map<String, String> env =
        Map.of("WORLDSTREAM_WORKER_ENVS", "3", "WORLDSTREAM_EVALUATE_POPULATION", "48");

    assertThat(up(env).workers().envs()).as("the part's key over up's default").isEqualTo(3);
    assertThat(up(env).evaluator().populationSize()).isEqualTo(48);
    assertThat(up(env, "--envs", "2").workers().envs())
        .as("up's flag over the part's key")
        .isEqualTo(2);
    assertThat(
            up(Map.of("WORLDSTREAM_UP_POPULATION", "40", "WORLDSTREAM_EVALUATE_POPULATION", "48"))
                .evaluator()
                .populationSize())
        .as("up's key over the part's")
        .isEqualTo(40);
    assertThat(up(Map.of(), "--sequence-length", "64", "--burn-in", "32").train().burnIn())
        .isEqualTo(32);
    assertThat(up(Map.of(), "--keep-every-model").serving().thinning()).isEmpty();
    assertThat(up(Map.of(), "--fall-back-margin", "150").evaluator().fallBackMargin())
        .hasValue(150);
    assertThat(up(Map.of()).evaluator().fallBackMargin()).isEmpty();
    assertThatThrownBy(() -> up(Map.of(), "--fall-back-margin", "150", "--real-check-every", "0"))
        .as("falling back needs a real check to compare with")
        .isInstanceOf(CommandFailure.class)
        .hasMessageContaining("real check");
  }

  @Test
  void shouldSayWhichPartAKeyThatDoesNotParseBelongsTo() {
    assertThatThrownBy(() -> up(Map.of("WORLDSTREAM_ENCODE_BATCH_SIZE", "many")))
        .isInstanceOf(CommandFailure.class)
        .hasMessageContaining("encode")
        .hasMessageContaining("many");
    assertThatThrownBy(() -> up(Map.of("WORLDSTREAM_TRAIN_LEARNING_RATE", "-1")))
        .as("a value the part refuses names the variable it came from")
        .isInstanceOf(CommandFailure.class)
        .hasMessageContaining("WORLDSTREAM_TRAIN_LEARNING_RATE");
  }
}
