package dev.effort.providers.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** How an error message names the kind of JSON value a client sent. */
public final class JsonTypes {
  private JsonTypes() {}

  /** {@code a string}, {@code an empty string}, {@code a number}, {@code a boolean}, {@code an array}, {@code an object}, {@code null}. */
  public static String describe(JsonNode v) {
    if (v.isTextual()) {
      return v.asText().isEmpty() ? "an empty string" : "a string";
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
