package io.worldstream.envs;

import java.util.Map;

/** What {@link Environment#reset} returns: the first observation and the info map. */
public record Reset(Pixels observation, Map<String, Object> info) {
  public Reset {
    info = Map.copyOf(info);
  }
}
