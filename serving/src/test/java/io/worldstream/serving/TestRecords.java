package io.worldstream.serving;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.RandomWeights;
import io.worldstream.models.mdn.MdnGraphs;
import io.worldstream.models.mdn.MdnSpec;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.LatentSteps;
import io.worldstream.schemas.Topic;
import io.worldstream.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records serving's tests publish: episode starts, checkpoints, and the producer that sends them.
 */
public final class TestRecords {

  /** The bundled VAE's version, which the real check and the pictures need. */
  public static final String DEFAULT_VAE = ModelVersion.of(DefaultVae.encoder());

  private TestRecords() {}

  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MODEL_MAX_MESSAGE_BYTES),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** Sends one record and waits until the broker has it. */
  public static <V> void send(
      KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key, V value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic.name(), key, topic.valueSerde().serializer().serialize(null, value)))
        .get();
  }

  /** The first latent (step 0) of {@code episodes} episodes encoded by {@code vae}. */
  public static void episodeStarts(
      KafkaProducer<String, byte[]> producer, String vae, int episodes, long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    for (int e = 0; e < episodes; e++) {
      List<Float> mu = new ArrayList<>();
      for (int d = 0; d < MdnSpec.LATENT; d++) {
        mu.add((float) random.nextGaussian());
      }
      LatentStep step = LatentSteps.step("episode-" + e, 0, mu, vae).build();
      send(producer, Topics.LATENTS, step.getEpisodeId(), step);
    }
  }

  /**
   * A checkpoint carrying {@code model}; with {@code corrupt} its bytes are changed after the
   * sha256 was taken. Tests set the rest (time, losses) on the builder.
   */
  public static Checkpoint.Builder checkpoint(
      String lineage, long version, String vae, byte[] model, boolean corrupt) {
    byte[] travelling = model.clone();
    if (corrupt) {
      travelling[travelling.length / 2] ^= 0x55;
    }
    return Checkpoint.newBuilder()
        .setLineage(lineage)
        .setVersion(version)
        .setParentVersion(version > 1 ? version - 1 : null)
        .setVaeVersion(vae)
        .setStepsTrained(1000 * version)
        .setEpisodesTrained(2 * version)
        .setTrainLoss(1.5)
        .setHeldOutLoss(null)
        .setCreatedTime(Instant.now())
        .setSha256(ModelVersion.of(model))
        .setOnnxModel(ByteBuffer.wrap(travelling));
  }

  /**
   * A linear controller over [z, h] found in checkpoint {@code checkpointVersion}, every weight
   * {@code weight} and the biases (steer, gas, brake) given, for the bundled VAE. Tests set the
   * rest (time, returns) on the builder.
   */
  public static ControllerUpdate.Builder controller(
      String lineage, long version, long checkpointVersion, float weight, List<Float> bias) {
    return ControllerUpdate.newBuilder()
        .setLineage(lineage)
        .setVersion(version)
        .setCheckpointVersion(checkpointVersion)
        .setVaeVersion(DEFAULT_VAE)
        .setInputSize(MdnSpec.LATENT + MdnSpec.HIDDEN)
        .setOutputSize(MdnSpec.ACTIONS)
        .setWeights(
            new ArrayList<>(
                Collections.nCopies(MdnSpec.ACTIONS * (MdnSpec.LATENT + MdnSpec.HIDDEN), weight)))
        .setBias(bias)
        .setDreamReturn(1)
        .setGeneration(0)
        .setCreatedTime(Instant.now());
  }

  /**
   * A search generation's report on checkpoint {@code checkpointVersion} that published controller
   * v7: best return 42.5, mean 10, worst −3. Tests set the rest (time) on the builder.
   */
  public static EvaluationReport.Builder report(
      String lineage, long checkpointVersion, String vae, int generation) {
    return EvaluationReport.newBuilder()
        .setLineage(lineage)
        .setCheckpointVersion(checkpointVersion)
        .setVaeVersion(vae)
        .setGeneration(generation)
        .setPopulationSize(8)
        .setRolloutsPerCandidate(2)
        .setTemperature(1.15)
        .setBestReturn(42.5)
        .setMeanReturn(10)
        .setWorstReturn(-3)
        .setStdReturn(4)
        .setHorizon(100)
        .setSigma(0.1)
        .setControllerVersion(7)
        .setControllerDreamReturn(42.5)
        .setDreamSteps(1600)
        .setWallMillis(1000)
        .setCreatedTime(Instant.now());
  }

  /** An MDN-RNN with random weights whose done head rarely fires: dreams run their horizon. */
  public static byte[] modelWithoutEnds(long seed) {
    var weights = RandomWeights.mdn(seed);
    weights.get("head.bias").data()[MdnSpec.HEAD - 1] = -6;
    return MdnGraphs.step(weights, "test-" + seed);
  }
}
