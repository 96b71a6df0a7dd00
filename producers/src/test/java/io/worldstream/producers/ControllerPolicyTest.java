package io.worldstream.producers;

import static org.assertj.core.api.Assertions.assertThat;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.policy.BrownianPolicy;
import io.worldstream.envs.policy.FeatureExtractor;
import io.worldstream.records.ControllerUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ControllerPolicyTest {

  private static final ActionSpec CAR =
      new ActionSpec.Box(
          new double[] {-1, 0, 0}, new double[] {1, 1, 1}, new String[] {"steer", "gas", "brake"});

  /** Two features: the mean of the red channel and a constant 1. */
  private static final class RedFeatures implements FeatureExtractor {
    final List<Action> actions = new ArrayList<>();
    int closed;

    @Override
    public void close() {
      closed++;
    }

    @Override
    public int size() {
      return 2;
    }

    @Override
    public void reset() {
      actions.clear();
    }

    @Override
    public float[] features(Pixels observation) {
      return new float[] {observation.get(0, 0, 0) / 255f, 1f};
    }

    @Override
    public void observeAction(Action action) {
      actions.add(action);
    }
  }

  /** A 2-feature controller that steers by {@code steerBias}, trained in checkpoint v1. */
  static ControllerUpdate controller(long version, float steerBias) {
    return ControllerUpdate.newBuilder()
        .setLineage("default")
        .setVersion(version)
        .setCheckpointVersion(1)
        .setVaeVersion("v")
        .setInputSize(2)
        .setOutputSize(3)
        .setWeights(List.of(0f, 0f, 0f, 0f, 0f, 0f))
        .setBias(List.of(steerBias, 1f, -1f))
        .setDreamReturn(0)
        .setGeneration(0)
        .setCreatedTime(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldSayWhyAControllerCannotBeUsed() {
    AtomicReference<ControllerUpdate> newest = new AtomicReference<>(controller(4, 0f));
    List<String> said = new ArrayList<>();
    ControllerPolicy policy =
        new ControllerPolicy(
            newest::get,
            FeatureSource.none(
                "its checkpoint v1 is refused: its bytes hash to 1234, not to the sha256 it names"),
            new BrownianPolicy(CAR, 1),
            Exploration.NONE.noise(new SplittableRandom(1)),
            said::add);

    policy.reset();
    policy.act(FRAME);

    assertThat(policy.id()).isEqualTo("brownian");
    assertThat(said)
        .singleElement()
        .asString()
        .contains("controller v4: its checkpoint v1 is refused");
  }

  private static final Pixels FRAME = new Pixels(1, 1, 3, new byte[] {(byte) 200, 0, 0});

  @Test
  void shouldActWithTheNewestControllerFromTheNextEpisodeOn() {
    AtomicReference<ControllerUpdate> newest = new AtomicReference<>();
    List<String> said = new ArrayList<>();
    RedFeatures features = new RedFeatures();
    ControllerPolicy policy =
        new ControllerPolicy(
            newest::get,
            c -> new FeatureSource.Features.Ready(features),
            new BrownianPolicy(CAR, 1),
            Exploration.NONE.noise(new SplittableRandom(1)),
            said::add);

    policy.reset();
    policy.act(FRAME);
    assertThat(policy.id()).isEqualTo("brownian");
    assertThat(said).singleElement().asString().contains("no controller published yet");

    newest.set(controller(1, 0.5f));
    Action.Continuous sameEpisode = (Action.Continuous) policy.act(FRAME);
    assertThat(policy.id()).as("a new controller waits for the next episode").isEqualTo("brownian");

    policy.reset();
    Action.Continuous first = (Action.Continuous) policy.act(FRAME);
    assertThat(policy.id()).isEqualTo("controller");
    assertThat(policy.version()).isEqualTo(1);
    assertThat(first.get(0))
        .isCloseTo(Math.tanh(0.5), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(first.get(1))
        .isCloseTo((Math.tanh(1) + 1) / 2, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(first.get(2)).isZero();
    assertThat(features.actions).containsExactly(first);

    newest.set(controller(2, -0.5f));
    policy.reset();
    Action.Continuous second = (Action.Continuous) policy.act(FRAME);
    assertThat(policy.version()).isEqualTo(2);
    assertThat(second.get(0))
        .isCloseTo(Math.tanh(-0.5), org.assertj.core.api.Assertions.within(1e-6));
    assertThat(said).anyMatch(s -> s.contains("controller v2"));
    assertThat(sameEpisode).isNotNull();
  }

  @Test
  void shouldFallBackWhenTheControllerDoesNotFitTheFeatures() {
    AtomicReference<ControllerUpdate> newest =
        new AtomicReference<>(
            ControllerUpdate.newBuilder(controller(3, 0f))
                .setInputSize(288)
                .setWeights(new ArrayList<>(java.util.Collections.nCopies(864, 0f)))
                .build());
    List<String> said = new ArrayList<>();
    ControllerPolicy policy =
        new ControllerPolicy(
            newest::get,
            c -> new FeatureSource.Features.Ready(new RedFeatures()),
            new BrownianPolicy(CAR, 1),
            Exploration.NONE.noise(new SplittableRandom(1)),
            said::add);

    policy.reset();
    policy.act(FRAME);

    assertThat(policy.id()).isEqualTo("brownian");
    assertThat(said).singleElement().asString().contains("takes 288 features").contains("gives 2");
  }

  @Test
  void shouldActOnTheFeaturesOfEachFrame() {
    // steer = tanh(2·red − 1), gas from tanh(−red + 1), brake from tanh(3·red − 2): every output
    // depends on the frame, so a policy that ignored its features would fail here.
    ControllerUpdate controller =
        ControllerUpdate.newBuilder(controller(5, -1f))
            .setWeights(List.of(2f, 0f, -1f, 0f, 3f, 0f))
            .setBias(List.of(-1f, 1f, -2f))
            .build();
    ControllerPolicy policy =
        new ControllerPolicy(
            () -> controller,
            c -> new FeatureSource.Features.Ready(new RedFeatures()),
            new BrownianPolicy(CAR, 1),
            Exploration.NONE.noise(new SplittableRandom(1)),
            line -> {});
    policy.reset();

    for (int red : new int[] {0, 60, 200, 255}) {
      Pixels frame = new Pixels(1, 1, 3, new byte[] {(byte) red, 0, 0});
      Action.Continuous action = (Action.Continuous) policy.act(frame);
      double r = red / 255.0;
      assertThat(action.get(0))
          .as("steer at red %d", red)
          .isCloseTo(Math.tanh(2 * r - 1), org.assertj.core.api.Assertions.within(1e-6));
      assertThat(action.get(1))
          .as("gas at red %d", red)
          .isCloseTo((Math.tanh(1 - r) + 1) / 2, org.assertj.core.api.Assertions.within(1e-6));
      assertThat(action.get(2))
          .as("brake at red %d", red)
          .isCloseTo(
              Math.max(0, Math.tanh(3 * r - 2)), org.assertj.core.api.Assertions.within(1e-6));
    }
    assertThat(policy.id()).isEqualTo("controller");
  }

  @Test
  void shouldExploreAroundTheControllerInTheEpisodesThatExploreAndRecordIt() {
    ControllerUpdate controller = controller(3, 0f);
    RedFeatures features = new RedFeatures();
    ControllerPolicy policy =
        new ControllerPolicy(
            () -> controller,
            c -> new FeatureSource.Features.Ready(features),
            new BrownianPolicy(CAR, 1),
            new Exploration(0.5, 0.3, 0.9).noise(new SplittableRandom(7)),
            line -> {});

    int exploring = 0;
    for (int episode = 0; episode < 40; episode++) {
      policy.reset();
      double largestSteer = 0;
      for (int t = 0; t < 50; t++) {
        Action.Continuous action = (Action.Continuous) policy.act(FRAME);
        assertThat(features.actions.get(t))
            .as("the features see the action taken")
            .isEqualTo(action);
        assertThat(action.get(0)).isBetween(-1.0, 1.0);
        assertThat(action.get(1)).isBetween(0.0, 1.0);
        assertThat(action.get(2)).isBetween(0.0, 1.0);
        largestSteer = Math.max(largestSteer, Math.abs(action.get(0)));
      }
      if (policy.id().equals(ControllerPolicy.EXPLORING)) {
        exploring++;
        assertThat(largestSteer).as("an exploring episode steers off zero").isGreaterThan(0.05);
      } else {
        assertThat(policy.id()).isEqualTo("controller");
        assertThat(largestSteer).as("the controller as published steers 0").isZero();
      }
      assertThat(policy.version()).isEqualTo(3);
    }
    assertThat(exploring).as("about half of 40 episodes explore").isBetween(10, 30);
  }

  @Test
  void shouldHandBackThePreviousControllersModelWhenItSwitches() {
    AtomicReference<ControllerUpdate> newest = new AtomicReference<>(controller(1, 0f));
    List<RedFeatures> handedOut = new ArrayList<>();
    ControllerPolicy policy =
        new ControllerPolicy(
            newest::get,
            c -> {
              RedFeatures features = new RedFeatures();
              handedOut.add(features);
              return new FeatureSource.Features.Ready(features);
            },
            new BrownianPolicy(CAR, 1),
            Exploration.NONE.noise(new SplittableRandom(1)),
            line -> {});

    policy.reset();
    policy.reset();
    assertThat(handedOut).as("the same controller keeps its features").hasSize(1);
    newest.set(controller(2, 0.5f));
    policy.reset();
    assertThat(handedOut).hasSize(2);
    assertThat(handedOut.get(0).closed).as("v1's features handed back").isEqualTo(1);
    assertThat(handedOut.get(1).closed).isZero();

    newest.set(ControllerUpdate.newBuilder(controller(3, 0f)).setInputSize(5).build());
    policy.reset();
    assertThat(policy.id()).isEqualTo("brownian");
    assertThat(handedOut).hasSize(3);
    assertThat(handedOut.get(1).closed).as("v2's on falling back").isEqualTo(1);
    assertThat(handedOut.get(2).closed).as("the unusable v3's at once").isEqualTo(1);

    newest.set(controller(4, 0f));
    policy.reset();
    assertThat(handedOut).hasSize(4);
    policy.close();
    assertThat(handedOut.get(3).closed).as("v4's when the worker stops").isEqualTo(1);
    policy.close();
    assertThat(handedOut.get(3).closed).as("and only once").isEqualTo(1);
  }
}
