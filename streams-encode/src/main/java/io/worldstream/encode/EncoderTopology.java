package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.Topics;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code wm.experience → validate → batch → VAE encode → wm.latents}. Records that fail to decode
 * or to validate leave through {@link DeadLetters} to {@code wm.experience.dlq}.
 */
public final class EncoderTopology {

  /** The logged store of each task's waiting frames' input offsets; see {@link EncodeBatches}. */
  public static final String BUFFER = "frame-buffer";

  private EncoderTopology() {}

  /**
   * Adds the encoder to {@code builder}; the app and the tests build the same topology.
   *
   * @param encoding where VAE calls run: one thread shared by all tasks in the app, the calling
   *     thread in tests (so each batch is forwarded as soon as it is sent)
   */
  public static void build(
      StreamsBuilder builder,
      ModelInService<VaeEncoder> vae,
      Executor encoding,
      EncoderMetrics metrics,
      Batching batching) {
    StepValidator validator = StepValidator.carRacing();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BUFFER), Serdes.Long(), Serdes.Long())
            .withCachingEnabled());
    builder.<String, ExperienceStep>stream(
            Topics.EXPERIENCE.name(),
            Consumed.with(Topics.EXPERIENCE.keySerde(), Topics.EXPERIENCE.valueSerde())
                .withName("experience"))
        .mapValues(validator::check, Named.as("validate"))
        .process(
            () -> new EncodeBatches(vae, encoding, metrics, batching), Named.as("encode"), BUFFER)
        .to(
            Topics.LATENTS.name(),
            Produced.<String, LatentStep>with(
                    Topics.LATENTS.keySerde(), Topics.LATENTS.valueSerde())
                .withName("latents"));
  }
}
