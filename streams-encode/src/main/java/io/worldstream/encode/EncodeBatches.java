package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers one stream task's frames into batches and encodes each batch with one VAE call.
 *
 * <p>A frame waiting in a batch has had its input offset consumed, and Kafka Streams may commit
 * that offset at any moment. So every waiting frame's input offset stays in the logged store {@link
 * EncoderTopology#BUFFER} until its latent is forwarded: a commit logs the waiting frames' offsets
 * in the same transaction as the input offsets, and a task that restarts after a crash reads those
 * frames again from the input topic ({@link WaitingFrames}) and encodes them first. The store keeps
 * offsets, not frames, because under load a commit finds a few hundred frames waiting, and logging
 * 27 KB for each cost a sixth of the throughput (docs/BENCHMARKS.md). Frames encoded before the
 * next commit are put and deleted within the store's cache and never reach the changelog.
 *
 * <p>The VAE runs on the {@code encoding} executor, a few batches per task at a time, so the stream
 * thread fetches, commits and gathers the next batch while the current one is encoded. Latents are
 * forwarded on the stream thread, in batch order, as Kafka Streams requires.
 */
final class EncodeBatches implements Processor<String, ExperienceStep, String, LatentStep> {

  private static final Logger log = LoggerFactory.getLogger(EncodeBatches.class);

  /**
   * Batches a task may have at the encoder at once. Kafka Streams works through one task's records
   * at a time, so with a single batch in flight the stream thread would wait for each batch it had
   * just sent while the encoder waited for the next. More than two made no difference measurable on
   * 2 cores, and every batch in flight is frames the next commit writes to the changelog.
   */
  /** How long a restarting task may take to read its waiting frames again. */
  private static final Duration REREAD_TIMEOUT = Duration.ofSeconds(60);

  private static final int MAX_IN_FLIGHT = 2;

  /** A frame in a batch: its position in the buffer store and the step itself. */
  private record Waiting(long sequence, ExperienceStep step) {}

  /** Latents, the version that made them and the time it took, read under one hold of the VAE. */
  private record Encoded(String version, VaeEncoder.Latents latents, long nanos) {
    static Encoded of(VaeEncoder encoder, float[] frames, int batch) {
      long started = System.nanoTime();
      VaeEncoder.Latents latents = encoder.encode(frames, batch);
      return new Encoded(encoder.version(), latents, System.nanoTime() - started);
    }
  }

  /** A batch handed to the encoder and not yet forwarded. */
  private record InFlight(List<Waiting> batch, CompletableFuture<Encoded> result) {}

  private final ModelInService<VaeEncoder> vae;
  private final Executor encoding;
  private final EncoderMetrics metrics;
  private final Batching batching;
  private final FramePreprocessor preprocessor = FramePreprocessor.carRacing();
  private List<Waiting> batch = new ArrayList<>();

  /** The batch's frames as VAE input, [B, 3, 64, 64], filled as frames arrive. */
  private float[] inputs;

  /** Batches handed to the encoder, oldest first; forwarded in this order. */
  private final Deque<InFlight> inFlight = new ArrayDeque<>();

  private ProcessorContext<String, LatentStep> context;

  /** Waiting frames by arrival: sequence number → input offset. */
  private KeyValueStore<Long, Long> buffer;

  private long nextSequence;
  private long oldestWaitingSince;

  EncodeBatches(
      ModelInService<VaeEncoder> vae,
      Executor encoding,
      EncoderMetrics metrics,
      Batching batching) {
    this.vae = vae;
    this.encoding = encoding;
    this.metrics = metrics;
    this.batching = batching;
  }

  @Override
  public void init(ProcessorContext<String, LatentStep> context) {
    this.context = context;
    this.buffer = context.getStateStore(EncoderTopology.BUFFER);
    // Frames left waiting by a crashed or moved task, restored from the changelog, in order.
    List<KeyValue<Long, Long>> restored = new ArrayList<>();
    try (KeyValueIterator<Long, Long> entries = buffer.all()) {
      entries.forEachRemaining(restored::add);
    }
    if (!restored.isEmpty()) {
      log.info(
          "Task {}: {} frames were left waiting by an earlier run; reading them again and encoding them first",
          context.taskId(),
          restored.size());
      Map<Long, ExperienceStep> frames =
          WaitingFrames.read(
              context.appConfigs(),
              context.applicationId() + "-" + context.taskId() + "-waiting-frames",
              new TopicPartition(Topics.EXPERIENCE.name(), context.taskId().partition()),
              restored.stream().map(entry -> entry.value).sorted().toList(),
              REREAD_TIMEOUT);
      for (KeyValue<Long, Long> entry : restored) {
        add(new Waiting(entry.key, frames.get(entry.value)));
        nextSequence = entry.key + 1;
      }
    }
    // Restored frames have waited long enough: the first tick encodes them.
    oldestWaitingSince = 0;
    context.schedule(batching.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  @Override
  public void process(Record<String, ExperienceStep> record) {
    long sequence = nextSequence++;
    buffer.put(sequence, context.recordMetadata().orElseThrow().offset());
    if (batch.isEmpty()) {
      oldestWaitingSince = context.currentSystemTimeMs();
    }
    add(new Waiting(sequence, record.value()));
    metrics.frameIn();
    forwardIfEncoded();
    if (batch.size() >= batching.batchSize()) {
      send();
    }
  }

  /**
   * Preprocessing happens here, on the stream thread, so that the encoder thread only runs the
   * network.
   */
  private void add(Waiting waiting) {
    if (inputs == null || inputs.length < (batch.size() + 1) * VaeSpec.PIXELS) {
      int capacity = Math.max(batching.batchSize(), batch.size() + 1);
      inputs =
          inputs == null
              ? new float[capacity * VaeSpec.PIXELS]
              : Arrays.copyOf(inputs, capacity * VaeSpec.PIXELS);
    }
    preprocessor.preprocess(pixels(waiting.step()), inputs, batch.size() * VaeSpec.PIXELS);
    batch.add(waiting);
  }

  private void tick(long now) {
    forwardIfEncoded();
    if (!batch.isEmpty() && now - oldestWaitingSince >= batching.maxBatchDelay().toMillis()) {
      send();
    }
  }

  /** Hands the gathered batch to the encoder, first waiting for room in the pipeline. */
  private void send() {
    while (inFlight.size() >= MAX_IN_FLIGHT) {
      forward(inFlight.poll());
    }
    List<Waiting> sending = batch;
    float[] frames = inputs;
    batch = new ArrayList<>(batching.batchSize());
    inputs = null;
    inFlight.add(
        new InFlight(
            sending,
            CompletableFuture.supplyAsync(
                () -> vae.apply(encoder -> Encoded.of(encoder, frames, sending.size())),
                encoding)));
    forwardIfEncoded();
  }

  private void forwardIfEncoded() {
    while (!inFlight.isEmpty() && inFlight.peek().result().isDone()) {
      forward(inFlight.poll());
    }
  }

  /**
   * Forwards a batch's latents in order and forgets its frames; waits for the encoder if need be.
   */
  private void forward(InFlight done) {
    Encoded encoded = done.result().join();
    List<Waiting> frames = done.batch();
    int size = frames.size();
    long emitted = context.currentSystemTimeMs();
    Instant encodeTime = Instant.ofEpochMilli(emitted);
    long[] eventTimes = new long[size];
    int d = VaeSpec.LATENT;
    for (int i = 0; i < size; i++) {
      ExperienceStep step = frames.get(i).step();
      eventTimes[i] = step.getEventTime().toEpochMilli();
      LatentStep latent =
          LatentStep.newBuilder()
              .setEpisodeId(step.getEpisodeId())
              .setStep(step.getStep())
              .setMu(floats(encoded.latents().mu(), i * d, d))
              .setLogvar(floats(encoded.latents().logvar(), i * d, d))
              .setAction(step.getAction())
              .setReward(step.getReward())
              .setTerminated(step.getTerminated())
              .setTruncated(step.getTruncated())
              .setVaeVersion(encoded.version())
              .setEventTime(step.getEventTime())
              .setEncodeTime(encodeTime)
              .build();
      context.forward(new Record<>(step.getEpisodeId(), latent, eventTimes[i]));
    }
    for (Waiting waiting : frames) {
      buffer.delete(waiting.sequence());
    }
    metrics.batch(eventTimes, size, emitted, encoded.nanos());
  }

  /**
   * A batch still being encoded is not forwarded: its frames are still in the buffer store, and
   * whichever instance takes the task next encodes them. Waiting here only keeps the encoder from
   * working for a task that is gone.
   */
  @Override
  public void close() {
    for (InFlight batch : inFlight) {
      batch.result().exceptionally(e -> null).join();
    }
    inFlight.clear();
  }

  /** The frame's bytes, without a copy when Avro decoded them into an array of their own. */
  private static byte[] pixels(ExperienceStep step) {
    ByteBuffer pixels = step.getFrame().getPixels();
    if (pixels.hasArray()
        && pixels.arrayOffset() == 0
        && pixels.position() == 0
        && pixels.remaining() == pixels.array().length) {
      return pixels.array();
    }
    byte[] copy = new byte[pixels.remaining()];
    pixels.duplicate().get(copy);
    return copy;
  }

  private static List<Float> floats(float[] values, int from, int length) {
    Float[] boxed = new Float[length];
    for (int i = 0; i < length; i++) {
      boxed[i] = values[from + i];
    }
    return Arrays.asList(boxed);
  }
}
