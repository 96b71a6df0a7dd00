package io.worldstream.bench;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.train.mdn.DjlMdnRnn;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A model lineage a benchmark writes straight to the topics, with no learner: checkpoint v1 (an
 * untrained MDN-RNN on the default VAE) and controller v1, which acts in it.
 */
public final class BenchLineage {

  private BenchLineage() {}

  /**
   * An MDN-RNN step model as DJL initialises it (seeded), with the done head switched off so that
   * dreams run to their horizon.
   */
  public static byte[] untrainedModel(String name) {
    ai.djl.engine.Engine.getInstance().setRandomSeed(1);
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
      var weights = DjlMdnRnn.initialise(manager).weights().export();
      weights.get("head.bias").data()[MdnSpec.HEAD - 1] = -30;
      return MdnGraphs.step(weights, name);
    }
  }

  /** A producer of raw record values, allowed records as large as a model. */
  public static KafkaProducer<String, byte[]> producer(KafkaSettings kafka) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MODEL_MAX_MESSAGE_BYTES),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Writes checkpoint v1 of {@code lineage} holding {@code model}, then controller v1 of the
   * controller's {@code weights} (3 × 288, row-major) and {@code bias}, and waits until both are
   * written.
   */
  public static void publish(
      KafkaProducer<String, byte[]> producer,
      String lineage,
      byte[] model,
      List<Float> weights,
      List<Float> bias)
      throws InterruptedException, ExecutionException {
    String vae = ModelVersion.of(DefaultVae.encoder());
    Checkpoint checkpoint =
        Checkpoint.newBuilder()
            .setLineage(lineage)
            .setVersion(1)
            .setParentVersion(null)
            .setVaeVersion(vae)
            .setStepsTrained(0)
            .setEpisodesTrained(0)
            .setTrainLoss(1)
            .setHeldOutLoss(null)
            .setCreatedTime(Instant.now())
            .setSha256(ModelVersion.of(model))
            .setOnnxModel(ByteBuffer.wrap(model))
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.CHECKPOINTS.name(),
                Topics.checkpointKey(lineage, 1),
                Topics.CHECKPOINTS.valueSerde().serializer().serialize(null, checkpoint)))
        .get();
    ControllerUpdate controller =
        ControllerUpdate.newBuilder()
            .setLineage(lineage)
            .setVersion(1)
            .setCheckpointVersion(1)
            .setVaeVersion(vae)
            .setInputSize(MdnSpec.LATENT + MdnSpec.HIDDEN)
            .setOutputSize(3)
            .setWeights(weights)
            .setBias(bias)
            .setDreamReturn(0)
            .setGeneration(0)
            .setCreatedTime(Instant.now())
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.CONTROLLERS.name(),
                lineage,
                Topics.CONTROLLERS.valueSerde().serializer().serialize(null, controller)))
        .get();
  }
}
