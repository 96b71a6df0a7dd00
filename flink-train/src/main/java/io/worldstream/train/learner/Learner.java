package io.worldstream.train.learner;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.Tensor;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.train.TrainingStep;
import io.worldstream.train.mdn.DjlMdnRnn;
import io.worldstream.train.mdn.MdnRnnTrainer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The online MDN-RNN learner: one lineage per VAE version (the key), its weights, Adam's state,
 * counters, a bounded replay buffer of recent sequences and a held-out set all in Flink state. It
 * trains in short units — one minibatch per processing-time timer — so that checkpoint barriers
 * never wait behind a long training loop, and owes {@code trainRatio} gradient steps to every new
 * sequence. Every {@code checkpointEvery} steps (or {@code checkpointInterval}) it emits a
 * checkpoint ({@link PublishedModel}, published as a {@code Checkpoint}): the one-step ONNX model
 * of the running average of its weights (see {@link LearnerSettings#averageDecay}) with its sha256,
 * the losses since the last one and on the held-out episodes, which it never trains on.
 *
 * <p>The DJL model lives in memory; its weights, their average and Adam's state go into Flink state
 * with every published version. After a restore the learner starts again from the last published
 * version: the steps taken since are owed again and redone, so a restored learner's weights are
 * those of the last checkpoint it published, and what it publishes next continues that version.
 */
public final class Learner extends KeyedProcessFunction<String, TrainingSequence, PublishedModel> {

  /** The next minibatch is due at once; the mailbox still lets barriers and records in between. */
  private static final long TRAIN_TICK_MS = 0;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Learner.class);

  private final LearnerSettings settings;

  private transient ValueState<LearnerProgress> progress;
  private transient SavedWeights saved;
  private transient SequenceBuffers sequences;
  private transient NDManager manager;
  private transient Map<String, MdnRnnTrainer> trainers;
  private transient Map<String, NDManager> trainerArrays;
  private transient Map<String, StoredStates> storedStates;
  private transient LearnerMetrics metrics;

  /**
   * The processing time of this instance's first call. A lineage's idleness counts from its last
   * sequence or from here, whichever is later: after a restore, time the job was down is not time a
   * lineage went without data.
   */
  private transient long startedAt;

  /**
   * The newest version of each lineage already published when this learner's state began: a learner
   * that starts without state (its state directory lost) continues the numbering rather than
   * publishing versions the registry already holds.
   */
  private final HashMap<String, Long> publishedBefore;

  public Learner(LearnerSettings settings) {
    this(settings, Map.of());
  }

  /**
   * @param publishedBefore the newest version of each lineage on wm.checkpoints, for a learner that
   *     starts without state
   */
  public Learner(LearnerSettings settings, Map<String, Long> publishedBefore) {
    this.settings = settings;
    this.publishedBefore = new HashMap<>(publishedBefore);
  }

  /** The lineage of the models trained on one VAE's latents. */
  public static String lineage(String vaeVersion) {
    return "vae-" + ModelVersion.shortForm(vaeVersion);
  }

  /**
   * Whether an episode belongs to the held-out share: a stable hash of its id, the same anywhere.
   */
  public static boolean heldOut(String episode, int percent) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(episode.getBytes(StandardCharsets.UTF_8));
      int bucket = Math.floorMod(ByteBuffer.wrap(digest).getInt(), 100);
      return bucket < percent;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void open(OpenContext context) {
    progress =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("progress", TypeInformation.of(LearnerProgress.class)));
    saved = new SavedWeights(getRuntimeContext());
    sequences = new SequenceBuffers(getRuntimeContext(), settings);
    manager = NDManager.newBaseManager();
    JniUtils.setNumThreads(settings.torchThreads());
    trainers = new HashMap<>();
    trainerArrays = new HashMap<>();
    storedStates = new HashMap<>();
    metrics = new LearnerMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public void processElement(TrainingSequence sequence, Context ctx, Collector<PublishedModel> out)
      throws Exception {
    LearnerProgress p = progress(ctx.getCurrentKey());
    if (settings.storedState()) {
      carryState(ctx.getCurrentKey(), sequence);
    }
    if (sequences.add(sequence, p)) {
      p.sequences++;
      p.episodes += sequence.firstStep == 0 ? 1 : 0;
      p.owe(settings.trainRatio(), maxCredit());
      metrics.arrived(sequence, p.replaySize());
    }
    long now = ctx.timerService().currentProcessingTime();
    startedAt(now);
    if (p.lastPublishedAt == 0) {
      p.lastPublishedAt = now;
    }
    p.lastArrivalAt = now;
    if (p.expiryTimer == 0) {
      p.expiryTimer = now + settings.lineageExpiry().toMillis();
      ctx.timerService().registerProcessingTimeTimer(p.expiryTimer);
    }
    armTimer(p, now, ctx.timerService());
    progress.update(p);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PublishedModel> out)
      throws Exception {
    LearnerProgress p = progress(ctx.getCurrentKey());
    if (timestamp == p.timer) {
      p.timer = 0;
    }
    long now = ctx.timerService().currentProcessingTime();
    if (timestamp == p.expiryTimer) {
      long idleUntil =
          Math.max(p.lastArrivalAt, startedAt(now)) + settings.lineageExpiry().toMillis();
      if (now >= idleUntil) {
        if (p.timer != 0) {
          ctx.timerService().deleteProcessingTimeTimer(p.timer);
        }
        progress.update(expire(ctx.getCurrentKey(), p));
        return;
      }
      // Sequences came since the timer was set, or the job started since: it goes off again a
      // full expiry after the later of the two.
      p.expiryTimer = idleUntil;
      ctx.timerService().registerProcessingTimeTimer(idleUntil);
    }
    if (canTrain(p)) {
      MdnRnnTrainer trainer = trainer(ctx.getCurrentKey(), p);
      List<TrainingSequence> sample = sequences.sample(p);
      LearnerStatus.sampled(sample, p.gradientSteps + 1);
      long started = System.nanoTime();
      long skippedBefore = trainer.skippedSteps();
      MdnRnnTrainer.Losses losses = trainer.step(Minibatches.of(sample));
      p.credit -= 1;
      if (trainer.skippedSteps() == skippedBefore) {
        metrics.stepped(System.nanoTime() - started);
        p.stepsTrained += sample.stream().mapToLong(TrainingSequence::steps).sum();
        p.gradientSteps++;
        p.addTrainLosses(losses.nll(), losses.rewardMse(), losses.doneBce());
        if (p.gradientSteps % settings.checkpointEvery() == 0 || publishDue(p, now)) {
          out.collect(publish(ctx.getCurrentKey(), trainer, p, now));
        }
      } else {
        p.skippedSteps++;
        skipped(ctx.getCurrentKey(), p, losses);
      }
    } else if (p.gradientSteps > p.savedSteps && publishDue(p, now)) {
      // No new data for now: what was trained since the last version must not wait for more.
      MdnRnnTrainer trainer = trainer(ctx.getCurrentKey(), p);
      if (p.gradientSteps > p.savedSteps) {
        out.collect(publish(ctx.getCurrentKey(), trainer, p, now));
      }
    }
    armTimer(p, now, ctx.timerService());
    progress.update(p);
  }

  /**
   * Starts {@code sequence} from the memory the lineage's model had at its first step, where the
   * episode's previous sequence reached it, and runs the model along it for the next one. Before
   * the lineage's model is in memory (no step yet since the start or a restore), chains are not
   * followed and sequences start from zeros.
   */
  private void carryState(String vaeVersion, TrainingSequence sequence) {
    StoredStates states =
        storedStates.computeIfAbsent(
            vaeVersion, key -> new StoredStates(StoredStates.EPISODES_FOLLOWED));
    states.attach(sequence);
    MdnRnnTrainer trainer = trainers.get(vaeVersion);
    if (trainer != null) {
      states.follow(sequence, trainer.model(), manager);
    }
  }

  /**
   * A step the trainer refused because its loss or gradients were not finite: the model stays as it
   * was, the sample's credit is spent and the next sample is another one, so one bad batch neither
   * poisons the weights nor stalls the lineage. Logged the first time and every hundredth after.
   */
  private void skipped(String vaeVersion, LearnerProgress p, MdnRnnTrainer.Losses losses) {
    metrics.skipped();
    long count = p.skippedSteps;
    if (count == 1 || count % 100 == 0) {
      log.warn(
          "Lineage {}: a gradient step's loss or gradients were not finite (losses {}); the model"
              + " was left as it was ({} such steps in this lineage)",
          lineage(vaeVersion),
          losses,
          count);
    }
  }

  private long startedAt(long now) {
    if (startedAt == 0) {
      startedAt = now;
    }
    return startedAt;
  }

  /**
   * Drops what a lineage that has received nothing for the expiry keeps (its replay, held-out set,
   * saved model, the model in memory; its timers are the caller's) and returns its progress as a
   * lineage that has not trained yet: sequences that come after all train a fresh model, whose
   * first version continues the numbering without a parent.
   */
  private LearnerProgress expire(String vaeVersion, LearnerProgress p) throws Exception {
    sequences.clear();
    saved.clear();
    trainers.remove(vaeVersion);
    storedStates.remove(vaeVersion);
    NDManager arrays = trainerArrays.remove(vaeVersion);
    if (arrays != null) {
      arrays.close();
    }
    log.info(
        "Lineage {} received nothing for {}: its replay, held-out set and model leave the"
            + " learner's state; a later sequence starts a new chain after v{}",
        lineage(vaeVersion),
        settings.lineageExpiry(),
        p.version);
    LearnerProgress expired = new LearnerProgress();
    expired.version = p.version;
    expired.continuedFrom = p.version;
    return expired;
  }

  /**
   * The most gradient steps a lineage may owe: a replay buffer's worth of sequences at the train
   * ratio. Steps owed beyond it were owed to sequences the buffer has already let go; a learner
   * that cannot keep up with its data trains on what is fresh instead of running ever further
   * behind.
   */
  private double maxCredit() {
    return settings.replayCapacity() * settings.trainRatio();
  }

  private boolean canTrain(LearnerProgress p) {
    return p.credit >= 1 && p.replaySize() >= settings.batchSize();
  }

  private boolean publishDue(LearnerProgress p, long now) {
    return now - p.lastPublishedAt >= settings.checkpointInterval().toMillis();
  }

  /** Gradient steps a lineage has taken in memory (0 before its first step here): for tests. */
  long gradientSteps(String vaeVersion) {
    MdnRnnTrainer trainer = trainers.get(vaeVersion);
    return trainer == null ? 0 : trainer.steps();
  }

  /** The model a lineage trains in memory (null before its first step here): for tests. */
  DjlMdnRnn model(String vaeVersion) {
    MdnRnnTrainer trainer = trainers.get(vaeVersion);
    return trainer == null ? null : trainer.model();
  }

  /** The model a lineage publishes, in memory (null before its first step here): for tests. */
  DjlMdnRnn published(String vaeVersion) {
    MdnRnnTrainer trainer = trainers.get(vaeVersion);
    return trainer == null ? null : trainer.published();
  }

  /**
   * Keeps a timer registered: now while a step is owed and there is data for it, else at the
   * checkpoint interval's end while steps are unpublished.
   */
  private void armTimer(
      LearnerProgress p, long now, org.apache.flink.streaming.api.TimerService timers) {
    long due;
    if (canTrain(p)) {
      due = now + TRAIN_TICK_MS;
    } else if (p.gradientSteps > p.savedSteps) {
      due = Math.max(now, p.lastPublishedAt + settings.checkpointInterval().toMillis());
    } else {
      return;
    }
    if (p.timer == 0 || due < p.timer) {
      p.timer = due;
      timers.registerProcessingTimeTimer(due);
    }
  }

  private LearnerProgress progress(String vaeVersion) throws Exception {
    LearnerProgress p = progress.value();
    if (p == null) {
      p = new LearnerProgress();
      p.continuedFrom = publishedBefore.getOrDefault(lineage(vaeVersion), 0L);
      p.version = p.continuedFrom;
    }
    return p;
  }

  /**
   * The trainer of a lineage: in memory, or built from the last published version's saved model (a
   * fresh one before the first), with {@code p} rolled back to that version.
   */
  private MdnRnnTrainer trainer(String vaeVersion, LearnerProgress p) throws Exception {
    MdnRnnTrainer trainer = trainers.get(vaeVersion);
    if (trainer != null) {
      return trainer;
    }
    // The steps since the saved model are owed again.
    p.owe(p.gradientSteps - p.savedSteps, maxCredit());
    p.gradientSteps = p.savedSteps;
    p.stepsTrained = p.savedStepsTrained;
    p.freshFrom = p.savedFreshFrom;
    p.resetTrainLosses();
    NDManager arrays = manager.newSubManager();
    if (saved.isEmpty()) {
      trainer = newTrainer(arrays, DjlMdnRnn.initialise(arrays));
      log.info(
          "Lineage {} starts training afresh, {} sequences in replay",
          lineage(vaeVersion),
          p.replaySize());
    } else {
      Map<String, Tensor> w = saved.weights();
      trainer = newTrainer(arrays, DjlMdnRnn.of(arrays, w));
      trainer.restore(
          new TrainingStep.State(
              w, saved.optimizer(p.gradientSteps), settings.seed(), saved.average()));
      log.info(
          "Lineage {} restored at version {}, {} gradient steps, {} sequences in replay",
          lineage(vaeVersion),
          p.version,
          p.gradientSteps,
          p.replaySize());
    }
    trainers.put(vaeVersion, trainer);
    trainerArrays.put(vaeVersion, arrays);
    return trainer;
  }

  private MdnRnnTrainer newTrainer(NDManager arrays, DjlMdnRnn model) {
    return new MdnRnnTrainer(
        arrays,
        model,
        settings.learningRate(),
        settings.maxGradNorm(),
        settings.seed(),
        settings.dropout(),
        settings.averageDecay());
  }

  private PublishedModel publish(
      String vaeVersion, MdnRnnTrainer trainer, LearnerProgress p, long now) throws Exception {
    PublishedModel.Losses heldOutLosses = null;
    if (p.heldOutSize() > 0) {
      heldOutLosses = Minibatches.evaluate(trainer, sequences.heldOut(p), settings.batchSize());
    }
    byte[] onnx =
        MdnGraphs.step(
            trainer.published().weights().export(), lineage(vaeVersion) + " v" + (p.version + 1));
    p.version++;
    PublishedModel checkpoint = new PublishedModel();
    checkpoint.lineage = lineage(vaeVersion);
    checkpoint.version = p.version;
    // The first version of a lineage, or of one continued after its state was lost, has no parent.
    checkpoint.parentVersion = p.version - 1 == p.continuedFrom ? null : p.version - 1;
    checkpoint.vaeVersion = vaeVersion;
    checkpoint.stepsTrained = p.stepsTrained;
    checkpoint.episodesTrained = p.episodes;
    checkpoint.gradientSteps = p.gradientSteps;
    checkpoint.train = p.meanTrainLosses();
    checkpoint.heldOut = heldOutLosses;
    checkpoint.createdTime = System.currentTimeMillis();
    checkpoint.sha256 = ModelVersion.of(onnx);
    checkpoint.onnx = onnx;
    saved.save(trainer.state());
    p.savedSteps = p.gradientSteps;
    p.savedStepsTrained = p.stepsTrained;
    p.savedFreshFrom = p.freshFrom;
    log.info(
        "Checkpoint {} v{}: {} gradient steps, train loss {}, held-out loss {}",
        checkpoint.lineage,
        checkpoint.version,
        checkpoint.gradientSteps,
        String.format("%.3f", checkpoint.train.total()),
        heldOutLosses == null ? "-" : String.format("%.3f", heldOutLosses.total()));
    metrics.published(
        new LearnerStatus.Published(
            checkpoint.lineage,
            checkpoint.version,
            checkpoint.train.total(),
            heldOutLosses == null ? null : heldOutLosses.total(),
            checkpoint.createdTime));
    p.resetTrainLosses();
    p.lastPublishedAt = now;
    return checkpoint;
  }
}
