package dev.effort.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper setup of the project. */
public final class Json {
  /** Strict on input (a misspelt config key is an error, not a silent default). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /** One line, for wire bodies and server-sent events (an event's data must not break lines). */
  private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT =
      MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /**
   * JSON text with object keys sorted and no spaces, so that equal values compare equal as
   * strings; text that is not JSON is returned stripped, as it is.
   */
  public static String canonical(String json) {
    try {
      return string(sorted(MAPPER.readTree(json)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return json.strip();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode sorted(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      var out = MAPPER.createObjectNode();
      var names = new java.util.TreeSet<String>();
      node.fieldNames().forEachRemaining(names::add);
      names.forEach(n -> out.set(n, sorted(node.get(n))));
      return out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }

  public static String string(Object value) {
    try {
      return COMPACT.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A generator writing one line of JSON to {@code out}, as {@link #bytes} would: for a wire body
   * or event written field by field, without building a tree first. Close it to finish the text.
   */
  public static com.fasterxml.jackson.core.JsonGenerator generator(java.io.OutputStream out) {
    try {
      return COMPACT.createGenerator(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes {@code value} at the generator's position, one line, as {@link #bytes} would. */
  public static void write(com.fasterxml.jackson.core.JsonGenerator g, Object value) throws java.io.IOException {
    COMPACT.writeValue(g, value);
  }

  public static byte[] bytes(Object value) {
    try {
      return COMPACT.writeValueAsBytes(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
