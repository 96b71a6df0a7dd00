package io.worldstream.train.learner;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A lineage's sequences in Flink keyed state: the replay buffer it trains on and the held-out set
 * it is evaluated on, each first in, first out, keeping the newest {@code replayCapacity} and
 * {@code heldOutCapacity}. The sequences are numbered as they come; the numbers where each buffer
 * begins and ends live in the lineage's {@link LearnerProgress}, snapshotted with it.
 */
final class SequenceBuffers {

  /** The share of a minibatch kept for sequences no minibatch has taken yet. */
  static final double FRESH_SHARE = 0.25;

  private final LearnerSettings settings;
  private final MapState<Long, TrainingSequence> replayState;
  private final MapState<Long, TrainingSequence> heldOutState;

  SequenceBuffers(RuntimeContext context, LearnerSettings settings) {
    this.settings = settings;
    TypeInformation<TrainingSequence> sequence = TypeInformation.of(TrainingSequence.class);
    this.replayState =
        context.getMapState(new MapStateDescriptor<>("replay", Types.LONG, sequence));
    this.heldOutState =
        context.getMapState(new MapStateDescriptor<>("held-out", Types.LONG, sequence));
  }

  /**
   * Keeps a sequence — in the held-out set if its episode is held out ({@link Learner#heldOut}),
   * else in the replay — and lets the oldest go from a full buffer.
   *
   * @return whether it went to the replay, to be trained on
   */
  boolean add(TrainingSequence sequence, LearnerProgress p) throws Exception {
    if (Learner.heldOut(sequence.episode, settings.heldOutPercent())) {
      heldOutState.put(p.heldOutTail++, sequence);
      while (p.heldOutSize() > settings.heldOutCapacity()) {
        heldOutState.remove(p.heldOutHead++);
      }
      return false;
    }
    replayState.put(p.replayTail++, sequence);
    while (p.replaySize() > settings.replayCapacity()) {
      replayState.remove(p.replayHead++);
    }
    return true;
  }

  /**
   * A minibatch: up to {@link #FRESH_SHARE} of it the oldest sequences no minibatch has taken yet
   * (so new experience reaches the next checkpoint, rather than waiting to be drawn from a full
   * buffer), the rest a uniform sample of the replay buffer; reproducible from the seed and the
   * number of steps tried (taken or refused).
   */
  List<TrainingSequence> sample(LearnerProgress p) throws Exception {
    SplittableRandom random =
        new SplittableRandom(settings.seed() * 31 + p.gradientSteps + p.skippedSteps);
    List<TrainingSequence> batch = new ArrayList<>(settings.batchSize());
    p.freshFrom = Math.max(p.freshFrom, p.replayHead);
    int fresh =
        (int) Math.min(p.replayTail - p.freshFrom, (long) (FRESH_SHARE * settings.batchSize()));
    for (int i = 0; i < fresh; i++) {
      batch.add(replayState.get(p.freshFrom++));
    }
    while (batch.size() < settings.batchSize()) {
      batch.add(replayState.get(p.replayHead + random.nextLong(p.replaySize())));
    }
    return batch;
  }

  /** The held-out sequences, oldest first. */
  List<TrainingSequence> heldOut(LearnerProgress p) throws Exception {
    List<TrainingSequence> sequences = new ArrayList<>();
    for (long i = p.heldOutHead; i < p.heldOutTail; i++) {
      sequences.add(heldOutState.get(i));
    }
    return sequences;
  }

  /** Lets every sequence go (the caller starts the lineage's progress afresh). */
  void clear() {
    replayState.clear();
    heldOutState.clear();
  }
}
