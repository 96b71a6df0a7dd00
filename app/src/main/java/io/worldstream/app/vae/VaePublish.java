package io.worldstream.app.vae;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.app.Worldstream;
import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.VaeDecoder;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.records.VaeModel;
import io.worldstream.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code worldstream vae publish}: a trained VAE onto wm.vae, for every encoder to follow. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a VAE to wm.vae: encoders started without --vae, on any machine, put the newest",
      "one there into service. The model is checked first: it must load and encode."
    })
public final class VaePublish implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Parameters(
      index = "0",
      paramLabel = "DIR|FILE",
      description =
          "A directory as 'vae train --out' writes it (encoder.onnx, and decoder.onnx if there),"
              + " or an encoder .onnx file.")
  Path source;

  @Override
  public Integer call() throws Exception {
    Path encoderFile = Files.isDirectory(source) ? source.resolve("encoder.onnx") : source;
    Path decoderFile = encoderFile.resolveSibling("decoder.onnx");
    byte[] encoder = read(encoderFile);
    try (VaeEncoder checked = VaeEncoder.load(encoder, 1)) {
      // load() runs a test encode: a model that loads but cannot encode is refused here.
    } catch (RuntimeException e) {
      throw new CommandFailure(
          "Cannot publish " + encoderFile + ": not a VAE encoder (" + e.getMessage() + ")",
          Worldstream.USAGE,
          e);
    }
    byte[] decoder = Files.exists(decoderFile) ? read(decoderFile) : null;
    if (decoder != null) {
      try (VaeDecoder checked = VaeDecoder.load(decoder, 1)) {
        // loads
      } catch (RuntimeException e) {
        throw new CommandFailure(
            "Cannot publish " + decoderFile + ": not a VAE decoder (" + e.getMessage() + ")",
            Worldstream.USAGE,
            e);
      }
    }
    String version = ModelVersion.of(encoder);
    VaeModel record =
        VaeModel.newBuilder()
            .setVersion(version)
            .setEncoderOnnx(ByteBuffer.wrap(encoder))
            .setDecoderOnnx(decoder == null ? null : ByteBuffer.wrap(decoder))
            .setDecoderSha256(decoder == null ? null : ModelVersion.of(decoder))
            .setDescription(source.toString())
            .setCreatedTime(Instant.now())
            .build();
    var settings = kafka.settings();
    settings.createMissingTopics();
    Map<String, Object> config = settings.clientConfig();
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MODEL_MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(
            config, Topics.VAE.keySerde().serializer(), Topics.VAE.valueSerde().serializer())) {
      var written =
          producer
              .send(new ProducerRecord<>(Topics.VAE.name(), version, record))
              .get(60, TimeUnit.SECONDS);
      spec.commandLine()
          .getOut()
          .printf(
              "Published VAE %s (%s%s) to %s at offset %d; encoders following wm.vae switch to it.%n",
              ModelVersion.shortForm(version),
              encoderFile,
              decoder == null ? ", no decoder" : " and its decoder",
              Topics.VAE.name(),
              written.offset());
    }
    return 0;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CommandFailure("Cannot read " + file + ": " + e.getMessage(), Worldstream.USAGE, e);
    }
  }
}
