package io.worldstream.serving.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.worldstream.models.dream.LatentPool;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnRnnStep;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.serving.cmaes.Cmaes;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search in the dream of an MDN-RNN trained by {@link MdnRnnTrainer} on experience whose reward
 * is the gas pedal minus the brake: CMA-ES must raise the dream's return and find the pedals the
 * data rewards.
 */
class TrainedDreamTest {

  private static final int B = 16;
  private static final int T = 16;

  @Test
  void theSearchFindsWhatTheLearnedRewardPays() {
    byte[] onnx = trainedModel();
    try (MdnRnnStep model = MdnRnnStep.load(onnx, 2)) {
      LatentPool starts = starts(new SplittableRandom(3));
      DreamFitness.Rules rules = new DreamFitness.Rules(2, 20, 1.0, 0.5);
      Cmaes search = Cmaes.start(new double[Controllers.PARAMETERS], 0.1, 16, 5);
      double before = returnOf(model, starts, search.mean());
      for (int g = 0; g < 15; g++) {
        double[][] population = search.ask();
        float[][] candidates = new float[population.length][];
        for (int k = 0; k < population.length; k++) {
          candidates[k] = Controllers.toFloats(population[k]);
        }
        double[] returns =
            DreamFitness.score(model, starts, candidates, rules, g, () -> false).meanReturns();
        double[] costs = new double[returns.length];
        for (int k = 0; k < costs.length; k++) {
          costs[k] = -returns[k];
        }
        search.tell(costs);
      }
      double after = returnOf(model, starts, search.mean());
      // Zero weights press half gas and no brake: about 0.5 per step, 10 over 20 steps.
      assertThat(before).as("dream return of the zero controller").isBetween(5.0, 15.0);
      assertThat(after).as("dream return after 15 generations").isGreaterThan(before + 3);
      float[] actions = actionsOf(search.mean(), model, starts);
      double gas = 0;
      double brake = 0;
      for (int d = 0; d < actions.length / 3; d++) {
        gas += actions[d * 3 + 1] / (actions.length / 3.0);
        brake += actions[d * 3 + 2] / (actions.length / 3.0);
      }
      assertThat(gas - brake).as("gas minus brake of the found controller").isGreaterThan(0.6);
    }
  }

  /** 300 steps of MdnRnnTrainer on random latents and actions; reward = gas − brake. */
  private static byte[] trainedModel() {
    Engine.getInstance().setRandomSeed(1);
    SplittableRandom random = new SplittableRandom(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      MdnRnnTrainer trainer = new MdnRnnTrainer(manager, rnn, 3e-3f, 1.0);
      for (int step = 0; step < 300; step++) {
        trainer.step(batch(random));
      }
      MdnRnnTrainer.Losses losses = trainer.evaluate(batch(random));
      assertThat(losses.rewardMse()).as("reward MSE after training").isLessThan(0.02);
      return MdnGraphs.step(rnn.weights().export(), "trained-for-test");
    }
  }

  private static MdnRnnTrainer.Batch batch(SplittableRandom random) {
    float[] mu = new float[B * (T + 1) * MdnSpec.LATENT];
    float[] logvar = new float[mu.length];
    for (int i = 0; i < mu.length; i++) {
      mu[i] = (float) (random.nextGaussian() * 0.5);
      logvar[i] = -4;
    }
    float[] actions = new float[B * T * MdnSpec.ACTIONS];
    float[] rewards = new float[B * T];
    for (int i = 0; i < B * T; i++) {
      float steer = (float) (random.nextDouble() * 2 - 1);
      float gas = (float) random.nextDouble();
      float brake = random.nextDouble() < 0.5 ? 0 : (float) random.nextDouble();
      actions[i * 3] = steer;
      actions[i * 3 + 1] = gas;
      actions[i * 3 + 2] = brake;
      rewards[i] = gas - brake;
    }
    float[] mask = new float[B * T];
    java.util.Arrays.fill(mask, 1);
    return new MdnRnnTrainer.Batch(B, T, mu, logvar, actions, rewards, new float[B * T], mask);
  }

  private static LatentPool starts(SplittableRandom random) {
    List<float[]> mu = new ArrayList<>();
    List<float[]> logvar = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      float[] m = new float[MdnSpec.LATENT];
      float[] lv = new float[MdnSpec.LATENT];
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        m[d] = (float) (random.nextGaussian() * 0.5);
        lv[d] = -4;
      }
      mu.add(m);
      logvar.add(lv);
    }
    return new LatentPool(mu, logvar);
  }

  /** The mean dream return of one controller over 32 fixed dreams. */
  private static double returnOf(MdnRnnStep model, LatentPool starts, double[] parameters) {
    float[][] one = {Controllers.toFloats(parameters)};
    return DreamFitness.score(
            model, starts, one, new DreamFitness.Rules(32, 20, 1.0, 0.5), 99, () -> false)
        .meanReturns()[0];
  }

  /** The controller's actions at the first step of 32 dreams. */
  private static float[] actionsOf(double[] parameters, MdnRnnStep model, LatentPool starts) {
    var dreams = new io.worldstream.models.dream.DreamEnvironment(model, starts, 32, 1.0, 0.5, 7);
    float[] features = dreams.reset();
    float[] actions = new float[32 * 3];
    Controllers.act(new float[][] {Controllers.toFloats(parameters)}, 32, features, actions);
    return actions;
  }
}
