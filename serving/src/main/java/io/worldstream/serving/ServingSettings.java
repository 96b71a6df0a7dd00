package io.worldstream.serving;

import io.worldstream.service.InvalidSettingException;

/**
 * Where serving listens and what it keeps.
 *
 * @param host the address the HTTP server binds (127.0.0.1: this machine only)
 * @param port its port; 0 picks a free one
 * @param modelsKept model bytes the registry keeps in memory per lineage (the newest versions);
 *     older ones are read again from {@code wm.checkpoints} when asked for
 */
public record ServingSettings(String host, int port, int modelsKept) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ServingSettings {
    if (host == null || host.isBlank()) {
      throw new InvalidSettingException("host", "the host to bind is empty");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidSettingException("port", "the port must be 0 to 65535, not " + port);
    }
    InvalidSettingException.atLeast("models-kept", "models kept per lineage", modelsKept, 1);
  }

  public static ServingSettings defaults() {
    return new ServingSettings(DEFAULT_HOST, DEFAULT_PORT, 4);
  }
}
