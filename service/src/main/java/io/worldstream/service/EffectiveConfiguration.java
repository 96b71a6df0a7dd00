package io.worldstream.service;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A service's settings as people read them: one {@code name = value} line each, names in the kebab
 * case of the command line's flags, secrets masked.
 */
public final class EffectiveConfiguration {

  /** Setting names whose values are never printed (Kafka's SASL and TLS secrets among them). */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|jaas|token|credential|private).*");

  static final String MASK = "********";

  private EffectiveConfiguration() {}

  /**
   * The components of settings records by kebab-case name, in order; the components of nested
   * settings records are listed as their own, maps as {@code name.key}.
   */
  public static Map<String, Object> of(Record... settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Record each : settings) {
      put(out, "", each);
    }
    return out;
  }

  private static void put(Map<String, Object> out, String prefix, Record settings) {
    for (RecordComponent component : settings.getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(settings);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String name = prefix + kebab(component.getName());
      if (value instanceof Record nested) {
        put(out, prefix, nested);
      } else if (value instanceof Map<?, ?> map) {
        new TreeMap<>(map).forEach((k, v) -> out.put(name + "." + k, v));
      } else {
        out.put(name, value);
      }
    }
  }

  /** The lines printed at start-up: a heading, then one line a setting. */
  public static List<String> lines(String service, Map<String, ?> settings) {
    List<String> lines = new ArrayList<>();
    lines.add(service + " settings:");
    settings.forEach((name, value) -> lines.add("  " + name + " = " + show(name, value)));
    return lines;
  }

  /** A value as a person writes it; secrets masked. */
  static String show(String name, Object value) {
    if (SECRET.matcher(name).matches() && value != null) {
      return MASK;
    }
    if (value instanceof Optional<?> o) {
      return o.map(v -> show(name, v)).orElse("(none)");
    }
    if (value instanceof OptionalInt o) {
      return o.isPresent() ? String.valueOf(o.getAsInt()) : "(none)";
    }
    if (value instanceof OptionalLong o) {
      return o.isPresent() ? String.valueOf(o.getAsLong()) : "(none)";
    }
    if (value instanceof OptionalDouble o) {
      return o.isPresent() ? String.valueOf(o.getAsDouble()) : "(none)";
    }
    if (value instanceof Duration d) {
      return duration(d);
    }
    if (value instanceof Path p) {
      return p.toString();
    }
    if (value instanceof Collection<?> c) {
      return String.join(",", c.stream().map(v -> show(name, v)).toList());
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    return String.valueOf(value);
  }

  /** 500ms, 10s, 5m, 2h: the forms the command line reads. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0 && ms > 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
