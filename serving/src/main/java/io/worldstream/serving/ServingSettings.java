package io.worldstream.serving;

import io.worldstream.service.InvalidSettingException;
import io.worldstream.serving.registry.ModelThinning;
import java.util.Optional;

/**
 * Where serving listens and what it keeps.
 *
 * @param host the address the HTTP server binds (127.0.0.1: this machine only)
 * @param port its port; 0 picks a free one
 * @param modelsKept model bytes the registry keeps in memory per lineage (the newest versions);
 *     older ones are read again from {@code wm.checkpoints} when asked for
 * @param dreamsAtOnce on-demand dreams running at once at most; more are turned away (429)
 * @param threads ONNX Runtime threads for on-demand dreams
 * @param dashboardInterval how often open dashboards get a fresh snapshot
 * @param thinning how older checkpoint models are thinned on {@code wm.checkpoints}; empty keeps
 *     every model (until the topic's size bound removes the oldest)
 */
public record ServingSettings(
    String host,
    int port,
    int modelsKept,
    int dreamsAtOnce,
    int threads,
    java.time.Duration dashboardInterval,
    Optional<ModelThinning> thinning) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  /** Largest request body taken: a controller's 867 parameters fit several times over. */
  public static final long MAX_REQUEST_BYTES = 64 * 1024;

  public ServingSettings {
    if (host == null || host.isBlank()) {
      throw new InvalidSettingException("host", "the host to bind is empty");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidSettingException("port", "the port must be 0 to 65535, not " + port);
    }
    InvalidSettingException.atLeast("models-kept", "models kept per lineage", modelsKept, 1);
    InvalidSettingException.atLeast("dreams-at-once", "dreams at once", dreamsAtOnce, 1);
    InvalidSettingException.atLeast("threads", "threads", threads, 1);
    InvalidSettingException.positive(
        "dashboard-interval", "the dashboard's update interval", dashboardInterval);
  }

  public static ServingSettings defaults() {
    return new ServingSettings(
        DEFAULT_HOST,
        DEFAULT_PORT,
        4,
        2,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        java.time.Duration.ofSeconds(2),
        Optional.of(ModelThinning.defaults()));
  }

  /** The same settings with older checkpoint models thinned as given (empty keeps them all). */
  public ServingSettings withThinning(Optional<ModelThinning> thinning) {
    return new ServingSettings(
        host, port, modelsKept, dreamsAtOnce, threads, dashboardInterval, thinning);
  }
}
