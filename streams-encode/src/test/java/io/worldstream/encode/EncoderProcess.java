package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.DefaultVae;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.schemas.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * An encoder in a JVM of its own, so a test can kill it with SIGKILL: no shutdown hook, no clean
 * close, no last commit. Arguments: bootstrap servers, application id, state directory, batch size,
 * batch delay in ms.
 */
public final class EncoderProcess {

  private EncoderProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> client = new HashMap<>(EncoderIntegrationTest.fastFailover());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    EncoderSettings defaults = EncoderSettings.defaults(Path.of(args[2]));
    EncoderSettings settings =
        new EncoderSettings(
            args[1],
            new Batching(Integer.parseInt(args[3]), Duration.ofMillis(Long.parseLong(args[4]))),
            defaults.streamThreads(),
            1,
            defaults.vae(),
            defaults.stateDir(),
            defaults.commitInterval(),
            Duration.ofSeconds(2));
    ModelInService<VaeEncoder> vae =
        VaeEncoder.inService(DefaultVae.encoder(), "the default VAE", 1);
    Encoder encoder =
        new Encoder(KafkaSettings.from(client), settings, vae, line -> System.out.println(line));
    encoder.start();
    System.out.println("encoder process started");
    Thread.sleep(Long.MAX_VALUE);
  }
}
