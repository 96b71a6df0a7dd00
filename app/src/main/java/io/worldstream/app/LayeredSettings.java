package io.worldstream.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Where a setting comes from when its flag is not given: an environment variable, then a properties
 * file ({@code --config FILE} or {@code WORLDSTREAM_CONFIG}), then the service's default. A key
 * names the command and the flag, {@code encode.batch-size=64} in the file and {@code
 * WORLDSTREAM_ENCODE_BATCH_SIZE} in the environment (a subcommand's path joined the same way:
 * {@code bench.learn.minutes}), so parts that share a flag's name are set apart; a key with the
 * flag's name alone ({@code batch-size}, {@code WORLDSTREAM_BATCH_SIZE}) sets every command with
 * that flag, below a qualified key in the same place. Kafka client settings pass through as {@code
 * WORLDSTREAM_KAFKA_<KEY>} and {@code kafka.<key>} in the file. A setting that no command knows is
 * an error, not ignored.
 */
final class LayeredSettings implements IDefaultValueProvider {

  static final String ENV_PREFIX = "WORLDSTREAM_";
  static final String KAFKA_ENV_PREFIX = "WORLDSTREAM_KAFKA_";
  static final String KAFKA_FILE_PREFIX = "kafka.";
  static final String CONFIG_OPTION = "--config";
  static final String CONFIG_ENV = "WORLDSTREAM_CONFIG";

  /** Environment variables that are not settings of a command. */
  private static final Set<String> NOT_SETTINGS =
      Set.of(CONFIG_ENV, "WORLDSTREAM_DEBUG", "WORLDSTREAM_JAVA_OPTS", "WORLDSTREAM_LOG_LEVEL");

  private final Map<String, String> env;
  private Optional<Path> file = Optional.empty();
  private Map<String, String> fileSettings = Map.of();
  private boolean loaded;
  private final Map<ArgSpec, String> sources = new HashMap<>();

  LayeredSettings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * On first use in a parse: reads the file that {@code --config} (or {@code WORLDSTREAM_CONFIG})
   * names, and checks that every setting in it and in the environment names an option of some
   * command, so that a misspelt setting is an error rather than silently ignored.
   */
  private void load(CommandSpec command) {
    if (loaded) {
      return;
    }
    OptionSpec config = command.findOption(CONFIG_OPTION);
    Path named = config == null ? null : config.getValue();
    file =
        Optional.ofNullable(named).or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).map(Path::of));
    try {
      fileSettings = file.map(LayeredSettings::read).orElse(Map.of());
      Set<String> known = keys(command.root().commandLine(), new TreeSet<>());
      Set<String> knownVariables = new HashSet<>();
      known.forEach(key -> knownVariables.add(envName(key)));
      fileSettings.keySet().stream()
          .filter(key -> !key.startsWith(KAFKA_FILE_PREFIX) && !known.contains(key))
          .findFirst()
          .ifPresent(
              key -> {
                throw new IllegalArgumentException(
                    file.get()
                        + ": unknown setting '"
                        + key
                        + "'; keys are a flag's name, alone or after its command's"
                        + " (encode.batch-size)");
              });
      env.keySet().stream()
          .filter(name -> name.startsWith(ENV_PREFIX) && !name.startsWith(KAFKA_ENV_PREFIX))
          .filter(name -> !NOT_SETTINGS.contains(name))
          .filter(name -> !knownVariables.contains(name))
          .sorted()
          .findFirst()
          .ifPresent(
              name -> {
                throw new IllegalArgumentException(
                    "unknown setting in the environment: "
                        + name
                        + " (no command has such a flag)");
              });
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
    loaded = true;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    if (option.isMultiValue() || option.longestName().equals(CONFIG_OPTION)) {
      return null;
    }
    load(arg.command());
    String name = option.longestName().substring(2);
    List<String> keys = List.of(commandPath(arg.command()) + "." + name, name);
    for (String key : keys) {
      String variable = envName(key);
      if (env.containsKey(variable)) {
        sources.put(arg, "environment variable " + variable);
        return env.get(variable);
      }
    }
    for (String key : keys) {
      if (fileSettings.containsKey(key)) {
        sources.put(arg, "setting '" + key + "' in " + file.get());
        return fileSettings.get(key);
      }
    }
    return null;
  }

  /** The command's names below the root, joined with dots: {@code bench.learn}. */
  static String commandPath(CommandSpec command) {
    List<String> names = new ArrayList<>();
    for (CommandSpec c = command; c.parent() != null; c = c.parent()) {
      names.add(0, c.name());
    }
    return String.join(".", names);
  }

  /** Where the value of {@code arg} came from, when it came from here and not from a flag. */
  Optional<String> sourceOf(ArgSpec arg) {
    return Optional.ofNullable(sources.get(arg));
  }

  /**
   * Kafka client settings from the file ({@code kafka.security.protocol=SSL}) overlaid by the
   * environment ({@code WORLDSTREAM_KAFKA_SECURITY_PROTOCOL=SSL}).
   */
  Map<String, Object> kafkaClientSettings(CommandSpec command) {
    load(command);
    Map<String, Object> config = new LinkedHashMap<>();
    fileSettings.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_FILE_PREFIX)) {
            config.put(key.substring(KAFKA_FILE_PREFIX.length()), value);
          }
        });
    env.forEach(
        (name, value) -> {
          if (name.startsWith(KAFKA_ENV_PREFIX)) {
            config.put(
                name.substring(KAFKA_ENV_PREFIX.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.'),
                value);
          }
        });
    return config;
  }

  /**
   * The environment variable of a key: {@code encode.batch-size} is {@code
   * WORLDSTREAM_ENCODE_BATCH_SIZE}.
   */
  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** Every key a setting may have: each flag's name, alone and after its command's path. */
  private static Set<String> keys(CommandLine command, Set<String> keys) {
    CommandSpec spec = command.getCommandSpec();
    for (OptionSpec option : spec.options()) {
      if (option.longestName().startsWith("--")) {
        String name = option.longestName().substring(2);
        keys.add(name);
        if (spec.parent() != null) {
          keys.add(commandPath(spec) + "." + name);
        }
      }
    }
    command.getSubcommands().values().forEach(sub -> keys(sub, keys));
    return keys;
  }

  private static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the settings file " + file + ": " + e.getMessage());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties.stringPropertyNames().stream()
        .sorted()
        .forEach(key -> settings.put(key.strip(), properties.getProperty(key).strip()));
    return settings;
  }
}
