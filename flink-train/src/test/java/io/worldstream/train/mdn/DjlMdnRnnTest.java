package io.worldstream.train.mdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.worldstream.models.mdn.MdnSpec;
import org.junit.jupiter.api.Test;

class DjlMdnRnnTest {

  private static final int B = 2;
  private static final int T = 10;
  private static final int SPLIT = 4;

  @Test
  void shouldContinueASequenceFromTheStateItsFirstPartReached() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(5);
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      NDArray z = manager.randomNormal(new Shape(B, T, MdnSpec.LATENT));
      NDArray a = manager.randomUniform(-1, 1, new Shape(B, T, MdnSpec.ACTIONS));

      NDArray whole = rnn.sequence(z, a);
      NDList reached =
          rnn.states(z.get(":, 0:" + SPLIT + ", :"), a.get(":, 0:" + SPLIT + ", :"), null, null);
      NDArray h = reached.get(0).get(":, " + (SPLIT - 1) + ", :");
      NDArray c = reached.get(1).get(":, " + (SPLIT - 1) + ", :");
      NDArray rest =
          rnn.sequence(z.get(":, " + SPLIT + ":, :"), a.get(":, " + SPLIT + ":, :"), h, c, null);

      assertThat(rest.toFloatArray())
          .containsExactly(whole.get(":, " + SPLIT + ":, :").toFloatArray(), within(1e-5f));
      NDArray fromZeros =
          rnn.sequence(z.get(":, " + SPLIT + ":, :"), a.get(":, " + SPLIT + ":, :"));
      assertThat(fromZeros.sub(rest).abs().max().getFloat())
          .as("the memory matters")
          .isGreaterThan(1e-3f);
    }
  }

  @Test
  void shouldGiveTheStatesThatSteppingOneStepAtATimeReaches() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(6);
      DjlMdnRnn rnn = DjlMdnRnn.initialise(manager);
      NDArray z = manager.randomNormal(new Shape(B, T, MdnSpec.LATENT));
      NDArray a = manager.randomUniform(-1, 1, new Shape(B, T, MdnSpec.ACTIONS));
      NDArray h = manager.randomNormal(new Shape(B, MdnSpec.HIDDEN)).mul(0.3f);
      NDArray c = manager.randomNormal(new Shape(B, MdnSpec.HIDDEN)).mul(0.3f);

      NDList states = rnn.states(z, a, h, c);
      for (int t = 0; t < T; t++) {
        NDList out = rnn.step(z.get(":, " + t + ", :"), a.get(":, " + t + ", :"), h, c);
        h = out.get(1);
        c = out.get(2);
        assertThat(states.get(0).get(":, " + t + ", :").toFloatArray())
            .containsExactly(h.toFloatArray(), within(1e-5f));
        assertThat(states.get(1).get(":, " + t + ", :").toFloatArray())
            .containsExactly(c.toFloatArray(), within(1e-5f));
      }
    }
  }
}
