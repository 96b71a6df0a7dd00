package io.worldstream.train.learner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the steps of one episode as one VAE encoded them (the {@link #key}) into training sequences
 * of {@code length + 1} consecutive steps, a new one every {@code stride} steps. Steps may arrive
 * out of order; a duplicate is dropped; a sequence never spans a missing step. At the episode's
 * last step, or when no step has come for {@code idle}, what is left is flushed as shorter
 * sequences (split at gaps) and the episode's state and timer are cleared.
 *
 * <p>A sequence that does not start the episode begins with {@code burnIn} transitions of context
 * ({@link TrainingSequence#context}): they bring the LSTM's state to where the episode had it, as
 * in a dream or on the road, and the learner takes no loss on them. The flushed tail gets the same
 * context from the steps before it, so every transition is trained on with its history.
 *
 * <p>State: the steps that arrived and are still needed ({@code waiting}: the sequence being filled
 * and any that came early), the next step expected, the first step of the sequence being filled,
 * the last step emitted, and the idle timer's time.
 */
public final class SequenceAssembler
    extends KeyedProcessFunction<String, EpisodeStep, TrainingSequence> {

  private final int length;
  private final int stride;
  private final int burnIn;
  private final long idleMillis;

  private transient MapState<Long, EpisodeStep> waiting;
  private transient ValueState<Long> next;
  private transient ValueState<Long> start;
  private transient ValueState<Long> timer;
  private transient ValueState<Long> emitted;

  /**
   * @param length transitions per sequence (T): sequences hold {@code length + 1} steps
   * @param stride steps between the starts of two sequences, 1 to {@code length}
   * @param burnIn transitions of context at the start of a sequence that does not start the
   *     episode, 0 to {@code length − stride} (more would leave transitions never trained on)
   * @param idle how long an episode may go without a step before what it has is flushed
   */
  public SequenceAssembler(int length, int stride, int burnIn, Duration idle) {
    if (length < 1 || stride < 1 || stride > length) {
      throw new IllegalArgumentException(
          "need 1 ≤ stride ≤ length, not length " + length + " and stride " + stride);
    }
    if (burnIn < 0 || burnIn > length - stride) {
      throw new IllegalArgumentException(
          "need 0 ≤ burn-in ≤ length − stride, not burn-in "
              + burnIn
              + " with length "
              + length
              + " and stride "
              + stride);
    }
    this.length = length;
    this.stride = stride;
    this.burnIn = burnIn;
    this.idleMillis = idle.toMillis();
  }

  /**
   * The key a step is assembled under: its episode and the VAE version that encoded it. When the
   * encoders move to a new VAE mid-episode, the steps they encode again are a sequence in the new
   * latent space, not duplicates of the old one, and no sequence mixes the two.
   */
  public static String key(EpisodeStep step) {
    return step.episode + "@" + step.vaeVersion;
  }

  @Override
  public void open(OpenContext context) {
    waiting =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "waiting", Types.LONG, TypeInformation.of(EpisodeStep.class)));
    next = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.LONG));
    start = getRuntimeContext().getState(new ValueStateDescriptor<>("start", Types.LONG));
    timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
    emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Types.LONG));
  }

  @Override
  public void processElement(EpisodeStep step, Context ctx, Collector<TrainingSequence> out)
      throws Exception {
    long expected = next.value() == null ? 0 : next.value();
    if (step.step < expected || waiting.contains(step.step)) {
      return; // a duplicate
    }
    waiting.put(step.step, step);
    boolean ended = false;
    while (waiting.contains(expected)) {
      EpisodeStep current = waiting.get(expected);
      long first = start.value() == null ? expected : start.value();
      start.update(first);
      expected++;
      if (expected - first == length + 1) {
        emit(first, expected - 1, out);
        // The next sequence starts `stride` steps later; steps before it are done with.
        for (long s = first; s < first + stride; s++) {
          waiting.remove(s);
        }
        start.update(first + stride);
      }
      if (current.ends()) {
        ended = true;
        break;
      }
    }
    next.update(expected);
    if (ended) {
      flush(out);
      clear(ctx);
    } else {
      rearm(ctx);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingSequence> out)
      throws Exception {
    flush(out);
    timer.clear();
    clearState();
  }

  /**
   * Emits what is left as sequences of consecutive steps split at gaps, leaving out a tail that the
   * last full sequence already covered.
   */
  private void flush(Collector<TrainingSequence> out) throws Exception {
    TreeMap<Long, EpisodeStep> left = new TreeMap<>();
    for (var entry : waiting.entries()) {
      left.put(entry.getKey(), entry.getValue());
    }
    long emittedTo = emitted.value() == null ? -1 : emitted.value();
    List<EpisodeStep> run = new ArrayList<>();
    for (EpisodeStep step : left.values()) {
      if (!run.isEmpty() && step.step != run.get(run.size() - 1).step + 1) {
        emitTail(run, emittedTo, out);
        run = new ArrayList<>();
      }
      run.add(step);
    }
    emitTail(run, emittedTo, out);
  }

  /**
   * Emits the transitions of {@code run} from {@code emittedTo} on in sequences of at most length +
   * 1 steps, each led by up to {@code burnIn} transitions of the run before it as context.
   */
  private void emitTail(List<EpisodeStep> run, long emittedTo, Collector<TrainingSequence> out) {
    int from = 0;
    while (from < run.size() && run.get(from).step < emittedTo) {
      from++;
    }
    if (run.size() < 2 || run.get(run.size() - 1).step <= emittedTo) {
      return;
    }
    while (from < run.size() - 1) {
      int context = Math.min(burnIn, from);
      int to = Math.min(run.size(), from - context + length + 1);
      out.collect(TrainingSequence.of(run.subList(from - context, to), context));
      from = to - 1;
    }
  }

  private void emit(long first, long last, Collector<TrainingSequence> out) throws Exception {
    List<EpisodeStep> steps = new ArrayList<>();
    for (long s = first; s <= last; s++) {
      steps.add(waiting.get(s));
    }
    out.collect(TrainingSequence.of(steps, first == 0 ? 0 : burnIn));
    emitted.update(last);
  }

  private void rearm(Context ctx) throws Exception {
    Long previous = timer.value();
    if (previous != null) {
      ctx.timerService().deleteProcessingTimeTimer(previous);
    }
    long at = ctx.timerService().currentProcessingTime() + idleMillis;
    ctx.timerService().registerProcessingTimeTimer(at);
    timer.update(at);
  }

  private void clear(Context ctx) throws Exception {
    Long previous = timer.value();
    if (previous != null) {
      ctx.timerService().deleteProcessingTimeTimer(previous);
    }
    timer.clear();
    clearState();
  }

  private void clearState() {
    waiting.clear();
    next.clear();
    start.clear();
    emitted.clear();
  }
}
