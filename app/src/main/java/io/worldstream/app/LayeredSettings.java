package io.worldstream.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * Where a setting comes from when its flag is not given: an environment variable ({@code
 * --batch-size} is {@code WORLDSTREAM_BATCH_SIZE}), then a properties file ({@code --config FILE}
 * or {@code WORLDSTREAM_CONFIG}; the key is the flag's name, {@code batch-size=64}), then the
 * service's default. Kafka client settings pass through as {@code WORLDSTREAM_KAFKA_<KEY>} and
 * {@code kafka.<key>} in the file. A setting that no command knows is an error, not ignored.
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
      Set<String> known = optionNames(command.root().commandLine(), new TreeSet<>());
      fileSettings.keySet().stream()
          .filter(key -> !key.startsWith(KAFKA_FILE_PREFIX) && !known.contains(key))
          .findFirst()
          .ifPresent(
              key -> {
                throw new IllegalArgumentException(
                    file.get() + ": unknown setting '" + key + "'; no command has --" + key);
              });
      env.keySet().stream()
          .filter(name -> name.startsWith(ENV_PREFIX) && !name.startsWith(KAFKA_ENV_PREFIX))
          .filter(name -> !NOT_SETTINGS.contains(name))
          .filter(name -> !known.contains(optionName(name)))
          .sorted()
          .findFirst()
          .ifPresent(
              name -> {
                throw new IllegalArgumentException(
                    "unknown setting in the environment: "
                        + name
                        + " (no command has --"
                        + optionName(name)
                        + ")");
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
    String variable = envName(name);
    if (env.containsKey(variable)) {
      sources.put(arg, "environment variable " + variable);
      return env.get(variable);
    }
    if (fileSettings.containsKey(name)) {
      sources.put(arg, "setting '" + name + "' in " + file.get());
      return fileSettings.get(name);
    }
    return null;
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

  static String envName(String optionName) {
    return ENV_PREFIX + optionName.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String optionName(String envName) {
    return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Set<String> optionNames(CommandLine command, Set<String> names) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      if (option.longestName().startsWith("--")) {
        names.add(option.longestName().substring(2));
      }
    }
    command.getSubcommands().values().forEach(sub -> optionNames(sub, names));
    return names;
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
