package dev.effort.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * What a client sent that the gateway does not use (fields such as {@code metadata},
 * {@code context_management}, {@code prompt_cache_key}; beta headers; the query string): forwarded
 * to an upstream of the client's own format, left out for any other.
 *
 * @param format the client's wire format: {@code openai}, {@code anthropic}, {@code responses}, or
 *     {@code none} for a library or CLI ask
 * @param fields top-level body fields, as sent
 * @param headers headers to forward (e.g. {@code anthropic-beta}), lower-case names
 * @param query the query string, without {@code ?}, or empty
 */
public record Passthrough(String format, ObjectNode fields, Map<String, String> headers, String query) {
  public static final Passthrough NONE = new Passthrough("none", null, Map.of(), "");

  public Passthrough {
    Objects.requireNonNull(format, "format");
    fields = copy(fields);
    headers = Map.copyOf(headers);
    Objects.requireNonNull(query, "query");
  }

  /** Whether an upstream speaking {@code upstreamFormat} gets these. */
  public boolean forwardsTo(String upstreamFormat) {
    return format.equals(upstreamFormat);
  }

  static ObjectNode copy(ObjectNode node) {
    return node == null ? Json.MAPPER.createObjectNode() : node.deepCopy();
  }
}
