package dev.effort.server;

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

/** Typed reads of request fields; every mistake is a 400 naming the field and what it accepts. */
final class RequestFields {
  private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?\\s*");

  private RequestFields() {}

  static void requireObject(JsonNode body) {
    if (!body.isObject()) {
      throw WireError.invalid("the request body must be a JSON object, got " + typeOf(body), null);
    }
  }

  /** The {@code messages} array, present and not empty, in either wire format. */
  static JsonNode messages(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw WireError.invalid("messages: field required; send at least one {\"role\": \"user\", \"content\": \"...\"}", "messages");
    }
    if (!messages.isArray()) {
      throw WireError.invalid("messages: expected an array, got " + typeOf(messages), "messages");
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

  /** @param feature the format's own name for it: "tool calling" (OpenAI), "tool use" (Anthropic) */
  static void refuseTools(JsonNode body, String feature) {
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull() && !(tools.isArray() && tools.isEmpty())) {
      throw WireError.invalid("tools: " + feature + " is not supported by this gateway yet; send the request without tools", "tools");
    }
  }

  static String requiredString(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw WireError.invalid(field + ": field required", field);
    }
    if (!v.isTextual()) {
      throw WireError.invalid(field + ": expected a string, got " + typeOf(v), field);
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
      throw WireError.invalid(field + ": expected true or false, got " + typeOf(v), field);
    }
    return v.asBoolean();
  }

  static OptionalInt optionalPositiveInt(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw WireError.invalid(field + ": expected a positive integer, got " + typeOf(v), field);
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
      throw WireError.invalid("reasoning: expected an object like {\"effort\": \"high\"}, got " + typeOf(reasoning), "reasoning");
    }
    JsonNode outputConfig = body.get("output_config");
    if (outputConfig != null && outputConfig.isObject()) {
      effortField(outputConfig, "effort", "output_config.effort", found);
    } else if (outputConfig != null && !outputConfig.isNull()) {
      throw WireError.invalid("output_config: expected an object like {\"effort\": \"high\"}, got " + typeOf(outputConfig),
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
      throw WireError.invalid(path + ": expected a string such as \"high\", got " + typeOf(v), path);
    }
    found.add(new BodyEffort(path, v.asText()));
  }

  static Optional<Duration> optionalDeadline(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(positive(duration(v.asText() + "s", field), field));
    }
    if (!v.isTextual()) {
      throw WireError.invalid(field + ": expected a duration such as \"2s\" or \"1500ms\", got " + typeOf(v), field);
    }
    return Optional.of(positive(duration(v.asText(), field), field));
  }

  /** {@code 2s}, {@code 1500ms}, {@code 0.5m}, or a bare number of seconds. */
  static Duration duration(String text, String where) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw WireError.invalid(where + ": '" + text + "' is not a duration; use e.g. 2s, 1500ms or 0.5m", where);
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    BigDecimal millis = switch (unit) {
      case "ms" -> amount;
      case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
      default -> amount.multiply(BigDecimal.valueOf(1_000));
    };
    return positive(Duration.ofMillis(millis.longValue()), where);
  }

  private static Duration positive(Duration d, String where) {
    if (d.isZero() || d.isNegative()) {
      throw WireError.invalid(where + ": the deadline must be at least 1 ms", where);
    }
    return d;
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
    throw WireError.invalid(field + ": expected a number of US dollars such as 0.01, got " + typeOf(v), field);
  }

  static double cost(String text, String where) {
    try {
      double usd = Double.parseDouble(text.strip());
      if (!(usd > 0) || Double.isInfinite(usd)) {
        throw new NumberFormatException();
      }
      return usd;
    } catch (NumberFormatException e) {
      throw WireError.invalid(where + ": '" + text + "' is not a positive number of US dollars, e.g. 0.01", where);
    }
  }

  static String typeOf(JsonNode v) {
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isObject()) {
      return "an object";
    }
    return "null";
  }
}
