package io.worldstream.serving.dream;

import com.fasterxml.jackson.databind.JsonNode;
import io.worldstream.serving.evaluator.Controllers;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * An on-demand dream, as {@code POST /api/dreams} takes it: which checkpoint, which controller, and
 * how to dream. Built only from a body that passed every check; {@link #parse} says which field is
 * wrong and why.
 *
 * @param lineage empty for the newest checkpoint's lineage
 * @param version empty for the newest version of the lineage
 * @param parameters the controller's 867 parameters when {@code controller} is "parameters"
 * @param frames whether to decode the first few rollouts into pictures
 */
public record DreamRequest(
    Optional<String> lineage,
    Optional<Long> version,
    Controller controller,
    Optional<double[]> parameters,
    double temperature,
    int horizon,
    int rollouts,
    long seed,
    boolean frames) {

  /** Who drives in the dream. */
  public enum Controller {
    BEST,
    RANDOM,
    BROWNIAN,
    PARAMETERS
  }

  public static final int MAX_ROLLOUTS = 256;
  public static final int MAX_HORIZON = 1000;
  public static final int MAX_FRAMES_HORIZON = 300;
  public static final int FRAME_ROLLOUTS = 4;

  private static final Set<String> FIELDS =
      Set.of(
          "lineage",
          "version",
          "controller",
          "parameters",
          "temperature",
          "horizon",
          "rollouts",
          "seed",
          "frames");

  /** Thrown for a request that does not pass; the message names the field. */
  public static final class Invalid extends IllegalArgumentException {
    public Invalid(String message) {
      super(message);
    }
  }

  public static DreamRequest parse(JsonNode body) {
    onlyFields(body, FIELDS);
    Optional<String> lineage = lineage(body);
    Optional<Long> version = version(body);
    Controller controller = controller(body);
    Optional<double[]> parameters = parameters(body, controller);
    double temperature = number(body, "temperature", 1.15);
    if (!(temperature > 0 && temperature <= 5)) {
      throw new Invalid("temperature must be above 0 and at most 5; got " + temperature);
    }
    int horizon = whole(body, "horizon", 200, 1, MAX_HORIZON);
    int rollouts = whole(body, "rollouts", 16, 1, MAX_ROLLOUTS);
    long seed = seed(body);
    boolean frames = false;
    if (body.hasNonNull("frames")) {
      if (!body.get("frames").isBoolean()) {
        throw new Invalid("frames must be true or false; got " + body.get("frames"));
      }
      frames = body.get("frames").asBoolean();
    }
    if (frames && horizon > MAX_FRAMES_HORIZON) {
      throw new Invalid(
          "with frames, horizon must be at most " + MAX_FRAMES_HORIZON + "; got " + horizon);
    }
    return new DreamRequest(
        lineage, version, controller, parameters, temperature, horizon, rollouts, seed, frames);
  }

  static void onlyFields(JsonNode body, Set<String> fields) {
    if (body == null || !body.isObject()) {
      throw new Invalid("the body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new Invalid(
            "unknown field '"
                + name
                + "'; known: "
                + String.join(", ", fields.stream().sorted().toList()));
      }
    }
  }

  static Optional<String> lineage(JsonNode body) {
    if (!body.hasNonNull("lineage")) {
      return Optional.empty();
    }
    if (!body.get("lineage").isTextual() || body.get("lineage").asText().isBlank()) {
      throw new Invalid("lineage must be a non-empty string");
    }
    return Optional.of(body.get("lineage").asText());
  }

  static Optional<Long> version(JsonNode body) {
    JsonNode v = body.get("version");
    if (v == null || v.isNull() || (v.isTextual() && v.asText().equals("latest"))) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw new Invalid("version must be a whole number from 1, or \"latest\"; got " + v);
    }
    return Optional.of(v.asLong());
  }

  static Controller controller(JsonNode body) {
    if (!body.hasNonNull("controller")) {
      return Controller.BEST;
    }
    try {
      return Controller.valueOf(body.get("controller").asText().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Invalid(
          "controller must be \"best\", \"random\", \"brownian\" or \"parameters\"; got "
              + body.get("controller"));
    }
  }

  static Optional<double[]> parameters(JsonNode body, Controller controller) {
    if (controller != Controller.PARAMETERS) {
      if (body.has("parameters")) {
        throw new Invalid("parameters are only taken with \"controller\": \"parameters\"");
      }
      return Optional.empty();
    }
    JsonNode p = body.get("parameters");
    if (p == null || !p.isArray() || p.size() != Controllers.PARAMETERS) {
      throw new Invalid(
          "parameters must be an array of "
              + Controllers.PARAMETERS
              + " numbers (3 × 288 weights, row-major, then 3 biases)"
              + (p != null && p.isArray() ? "; got " + p.size() : ""));
    }
    double[] values = new double[p.size()];
    for (int i = 0; i < values.length; i++) {
      if (!p.get(i).isNumber() || !Double.isFinite(p.get(i).asDouble())) {
        throw new Invalid("parameters[" + i + "] must be a finite number; got " + p.get(i));
      }
      values[i] = p.get(i).asDouble();
    }
    return Optional.of(values);
  }

  static long seed(JsonNode body) {
    if (!body.hasNonNull("seed")) {
      return 0;
    }
    if (!body.get("seed").isIntegralNumber() || !body.get("seed").canConvertToLong()) {
      throw new Invalid("seed must be a whole number; got " + body.get("seed"));
    }
    return body.get("seed").asLong();
  }

  private static double number(JsonNode body, String field, double otherwise) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (!n.isNumber()) {
      throw new Invalid(field + " must be a number; got " + n);
    }
    return n.asDouble();
  }

  static int whole(JsonNode body, String field, int otherwise, int min, int max) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      throw new Invalid(
          field + " must be a whole number from " + min + " to " + max + "; got " + n);
    }
    return n.asInt();
  }
}
