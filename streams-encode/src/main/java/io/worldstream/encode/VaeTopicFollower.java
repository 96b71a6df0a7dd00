package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.VaeModel;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the newest VAE published on {@code wm.vae} to the {@link ModelInService}, so encoders on
 * any machine follow it without a shared disk. On start it reads the topic to its end and offers
 * only the newest; after that each one as it comes. An encoder whose bytes do not match its
 * version, or that does not load, is refused and the VAE in service stays.
 */
public final class VaeTopicFollower implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VaeTopicFollower.class);

  private final TopicReader<String, byte[]> reader;
  private final ModelInService<VaeEncoder> vae;
  private VaeModel newest;

  public VaeTopicFollower(Map<String, Object> clientConfig, ModelInService<VaeEncoder> vae) {
    this.reader =
        new TopicReader<>(
            clientConfig,
            List.of(Topics.VAE.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.vae = vae;
  }

  /** Reads what came and offers the newest VAE once caught up; meant to run every few seconds. */
  @Override
  public void run() {
    try {
      for (var record : reader.poll(Duration.ofMillis(200))) {
        try {
          newest = Topics.VAE.valueSerde().deserializer().deserialize(null, record.value());
        } catch (RuntimeException e) {
          log.warn(
              "Record at offset {} of wm.vae is not a VAE ({}); skipped",
              record.offset(),
              e.getMessage());
        }
      }
      if (newest == null || !reader.caughtUp()) {
        return;
      }
      VaeModel model = newest;
      newest = null;
      if (model.getVersion().equalsIgnoreCase(vae.version())) {
        return;
      }
      byte[] onnx;
      try {
        onnx = ModelVersion.verified(model.getEncoderOnnx(), model.getVersion());
      } catch (IllegalArgumentException e) {
        log.warn(
            "VAE {} on wm.vae refused: {}; {} stays in service",
            ModelVersion.shortForm(model.getVersion()),
            e.getMessage(),
            ModelVersion.shortForm(vae.version()));
        return;
      }
      vae.offer(onnx, "wm.vae (" + model.getDescription() + ")");
    } catch (RuntimeException e) {
      log.warn("Cannot read wm.vae: {}; the VAE in service stays", e.toString());
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
