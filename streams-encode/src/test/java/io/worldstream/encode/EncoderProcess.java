package io.worldstream.encode;

import io.worldstream.models.vae.DefaultVae;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * An encoder in a JVM of its own, so a test can kill it with SIGKILL: no shutdown hook, no clean
 * close, no last commit. Arguments: bootstrap servers, application id, state directory.
 */
public final class EncoderProcess {

  private EncoderProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> client = new HashMap<>(EncoderIntegrationTest.fastFailover());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    EncoderSettings settings =
        EncoderSettings.defaults(Path.of(args[2])).withApplicationId(args[1]);
    VaeInService vae = VaeInService.load(DefaultVae.encoder(), "the default VAE", 1);
    Encoder encoder = new Encoder(client, settings, vae, line -> System.out.println(line));
    encoder.start();
    System.out.println("encoder process started");
    Thread.sleep(Long.MAX_VALUE);
  }
}
