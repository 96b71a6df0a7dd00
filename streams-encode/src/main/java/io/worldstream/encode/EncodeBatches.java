package io.worldstream.encode;

import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * that offset at any moment. So every waiting frame is also in the logged store {@link
 * EncoderTopology#BUFFER}: a commit writes the waiting frames to the store's changelog in the same
 * transaction as the offsets, and a task that restarts after a crash finds them there and encodes
 * them first. Frames encoded before the next commit are put and deleted within the store's cache
 * and never reach the changelog.
 */
final class EncodeBatches implements Processor<String, ExperienceStep, String, LatentStep> {

  /** A frame in the batch: its position in the buffer store and the step itself. */
  private record Waiting(long sequence, ExperienceStep step) {}

  private static final Logger log = LoggerFactory.getLogger(EncodeBatches.class);

  private final VaeInService vae;
  private final EncoderMetrics metrics;
  private final Batching batching;
  private final List<Waiting> batch = new ArrayList<>();
  private ProcessorContext<String, LatentStep> context;
  private KeyValueStore<Long, ExperienceStep> buffer;
  private long nextSequence;
  private long oldestWaitingSince;

  EncodeBatches(VaeInService vae, EncoderMetrics metrics, Batching batching) {
    this.vae = vae;
    this.metrics = metrics;
    this.batching = batching;
  }

  @Override
  public void init(ProcessorContext<String, LatentStep> context) {
    this.context = context;
    this.buffer = context.getStateStore(EncoderTopology.BUFFER);
    // Frames left waiting by a crashed or moved task, restored from the changelog, in order.
    try (KeyValueIterator<Long, ExperienceStep> restored = buffer.all()) {
      while (restored.hasNext()) {
        KeyValue<Long, ExperienceStep> entry = restored.next();
        batch.add(new Waiting(entry.key, entry.value));
        nextSequence = entry.key + 1;
      }
    }
    if (!batch.isEmpty()) {
      log.info(
          "Task {}: {} frames were left waiting by an earlier run; encoding them first",
          context.taskId(),
          batch.size());
    }
    // Restored frames have waited long enough: the first tick encodes them.
    oldestWaitingSince = 0;
    context.schedule(batching.tick(), PunctuationType.WALL_CLOCK_TIME, this::flushIfWaitedEnough);
  }

  @Override
  public void process(Record<String, ExperienceStep> record) {
    long sequence = nextSequence++;
    buffer.put(sequence, record.value());
    if (batch.isEmpty()) {
      oldestWaitingSince = context.currentSystemTimeMs();
    }
    batch.add(new Waiting(sequence, record.value()));
    metrics.frameIn();
    if (batch.size() >= batching.maxFrames()) {
      flush();
    }
  }

  private void flushIfWaitedEnough(long now) {
    if (!batch.isEmpty() && now - oldestWaitingSince >= batching.maxDelay().toMillis()) {
      flush();
    }
  }

  private void flush() {
    int size = batch.size();
    List<byte[]> frames = new ArrayList<>(size);
    for (Waiting waiting : batch) {
      frames.add(pixels(waiting.step()));
    }
    long started = System.nanoTime();
    Encoded encoded = vae.apply(encoder -> Encoded.of(encoder, frames));
    long nanos = System.nanoTime() - started;
    long emitted = context.currentSystemTimeMs();
    Instant encodeTime = Instant.ofEpochMilli(emitted);
    long[] eventTimes = new long[size];
    int d = VaeSpec.LATENT;
    for (int i = 0; i < size; i++) {
      ExperienceStep step = batch.get(i).step();
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
    for (Waiting waiting : batch) {
      buffer.delete(waiting.sequence());
    }
    batch.clear();
    metrics.batch(eventTimes, size, emitted, nanos);
  }

  /** Latents and the version that made them, read under one hold of the model. */
  private record Encoded(String version, VaeEncoder.Latents latents) {
    static Encoded of(VaeEncoder encoder, List<byte[]> frames) {
      return new Encoded(encoder.version(), encoder.encodeObservations(frames));
    }
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
