package dev.effort.server;

import dev.effort.providers.wire.JsonTypes;
import com.fasterxml.jackson.databind.JsonNode;
import dev.effort.server.ChatRequest.BodyEffort;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of request fields; every mistake is a 400 naming the field and what it accepts.
 * {@link #duration} and {@link #cost} are public so that {@code effort chat} reads its
 * {@code /deadline} and {@code /budget} by the gateway's rules.
 */
public final class RequestFields {
  private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?\\s*");

  private RequestFields() {}

  static void requireObject(JsonNode body) {
    if (!body.isObject()) {
      throw WireError.invalid("the request body must be a JSON object, got " + JsonTypes.describe(body), null);
    }
  }

  /** The {@code messages} array, present and not empty, in either wire format. */
  static JsonNode messages(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw WireError.invalid("messages: field required; send at least one {\"role\": \"user\", \"content\": \"...\"}", "messages");
    }
    if (!messages.isArray()) {
      throw WireError.invalid("messages: expected an array, got " + JsonTypes.describe(messages), "messages");
    }
    if (messages.isEmpty()) {
      throw WireError.invalid("messages: must hold at least one message", "messages");
    }
    return messages;
  }

  static void requireUserMessage(List<dev.effort.core.Message> messages) {
    if (messages.stream().noneMatch(m -> m.role().equals("user"))) {
      throw WireError.invalid("messages: at least one message must have role 'user'", "messages");
    }
  }

  static String requiredString(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw WireError.invalid(field + ": field required", field);
    }
    if (!v.isTextual()) {
      throw WireError.invalid(field + ": expected a string, got " + JsonTypes.describe(v), field);
    }
    if (v.asText().isBlank()) {
      throw WireError.invalid(field + ": must not be empty", field);
    }
    return v.asText();
  }

  static boolean optionalBoolean(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw WireError.invalid(field + ": expected true or false, got " + JsonTypes.describe(v), field);
    }
    return v.asBoolean();
  }

  static OptionalInt optionalPositiveInt(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw WireError.invalid(field + ": expected a positive integer, got " + JsonTypes.describe(v), field);
    }
    if (v.asInt() < 1) {
      throw WireError.invalid(field + ": expected a positive integer, got " + v.asInt(), field);
    }
    return OptionalInt.of(v.asInt());
  }

  /** Effort fields of the body, highest precedence first (DESIGN.md: where effort comes from). */
  static List<BodyEffort> effortFields(JsonNode body) {
    List<BodyEffort> found = new ArrayList<>();
    effortField(body, "effort", "effort", found);
    effortField(body, "reasoning_effort", "reasoning_effort", found);
    JsonNode reasoning = body.get("reasoning");
    if (reasoning != null && reasoning.isObject()) {
      effortField(reasoning, "effort", "reasoning.effort", found);
    } else if (reasoning != null && !reasoning.isNull()) {
      throw WireError.invalid("reasoning: expected an object like {\"effort\": \"high\"}, got " + JsonTypes.describe(reasoning), "reasoning");
    }
    JsonNode outputConfig = body.get("output_config");
    if (outputConfig != null && outputConfig.isObject()) {
      effortField(outputConfig, "effort", "output_config.effort", found);
    } else if (outputConfig != null && !outputConfig.isNull()) {
      throw WireError.invalid("output_config: expected an object like {\"effort\": \"high\"}, got " + JsonTypes.describe(outputConfig),
          "output_config");
    }
    return found;
  }

  private static void effortField(JsonNode node, String field, String path, List<BodyEffort> found) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isTextual()) {
      throw WireError.invalid(path + ": expected a string such as \"high\", got " + JsonTypes.describe(v), path);
    }
    found.add(new BodyEffort(path, v.asText()));
  }

  /** The longest deadline accepted: beyond it no upstream call is worth waiting for. */
  static final Duration MAX_DEADLINE = Duration.ofHours(1);

  private static final String DEADLINE_RANGE = "accepted: 1ms to " + MAX_DEADLINE.toSeconds() + "s";

  /** The largest cost cap or budget accepted, in US dollars. */
  static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000);

  /** The largest output cap a client may ask for: above any model's output limit. */
  static final int MAX_OUTPUT_TOKENS = 1_000_000;

  static Optional<Duration> optionalDeadline(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(millis(v.decimalValue().multiply(BigDecimal.valueOf(1_000)), field, v.asText()));
    }
    if (!v.isTextual()) {
      throw WireError.invalid(field + ": expected a duration such as \"2s\" or \"1500ms\" (" + DEADLINE_RANGE + "), got "
          + JsonTypes.describe(v), field);
    }
    return Optional.of(duration(v.asText(), field));
  }

  /** {@code 2s}, {@code 1500ms}, {@code 0.5m}, or a bare number of seconds; within {@link #MAX_DEADLINE}. */
  public static Duration duration(String text, String where) {
    Matcher m = DURATION.matcher(text);
    if (text.length() > 64 || !m.matches()) {
      throw WireError.invalid(where + ": '" + clip(text) + "' is not a duration; use e.g. 2s, 1500ms or 0.5m ("
          + DEADLINE_RANGE + ")", where);
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    BigDecimal millis = switch (unit) {
      case "ms" -> amount;
      case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
      default -> amount.multiply(BigDecimal.valueOf(1_000));
    };
    return millis(millis, where, text);
  }

  /** Compared as a decimal, before any conversion: a huge value must not wrap around a long. */
  private static Duration millis(BigDecimal millis, String where, String text) {
    if (millis.compareTo(BigDecimal.ONE) < 0) {
      throw WireError.invalid(where + ": the deadline must be at least 1 ms, got '" + clip(text) + "'; " + DEADLINE_RANGE, where);
    }
    if (millis.compareTo(BigDecimal.valueOf(MAX_DEADLINE.toMillis())) > 0) {
      throw WireError.invalid(where + ": the deadline '" + clip(text) + "' is out of range; " + DEADLINE_RANGE, where);
    }
    return Duration.ofMillis(millis.longValue());
  }

  static Optional<Double> optionalCost(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(cost(v.asText(), field));
    }
    if (v.isTextual()) {
      return Optional.of(cost(v.asText(), field));
    }
    throw WireError.invalid(field + ": expected a number of US dollars such as 0.01, got " + JsonTypes.describe(v), field);
  }

  /** A positive number of US dollars, up to {@link #MAX_USD}. */
  public static double cost(String text, String where) {
    BigDecimal usd;
    try {
      usd = text.length() > 64 ? null : new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      usd = null;
    }
    if (usd == null || usd.signum() <= 0 || usd.compareTo(MAX_USD) > 0) {
      throw WireError.invalid(where + ": '" + clip(text) + "' is not a positive number of US dollars, e.g. 0.01 (accepted: more"
          + " than 0, up to " + MAX_USD.toPlainString() + ")", where);
    }
    return usd.doubleValue();
  }

  /**
   * A whole number from 1 to {@code max}, or empty when absent.
   */
  static OptionalInt optionalPositiveInt(JsonNode body, String field, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber()) {
      throw WireError.invalid(field + ": expected a positive integer (accepted: 1 to " + max + "), got " + JsonTypes.describe(v), field);
    }
    if (!v.canConvertToInt() || v.asInt() < 1 || v.asInt() > max) {
      throw WireError.invalid(field + ": expected a positive integer (accepted: 1 to " + max + "), got " + clip(v.asText()), field);
    }
    return OptionalInt.of(v.asInt());
  }

  /** Echoed input, cut short: an error message must not carry a client's megabyte back. */
  static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
