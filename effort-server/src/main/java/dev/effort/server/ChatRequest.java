package dev.effort.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Message;
import dev.effort.core.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A chat request as either wire format sends it, before effort is resolved.
 *
 * @param messages the conversation, system messages first
 * @param model the {@code model} field as sent
 * @param stream whether the client asked for server-sent events
 * @param maxTokens the client's cap on output tokens
 * @param bodyEffort effort set in the body, with the field that set it, in precedence order
 * @param deadline latency budget from the body
 * @param maxCostUsd cost cap from the body
 * @param tools the tools offered, tool choice and parallel calls
 * @param stopSequences the client's stop sequences
 * @param unused body fields the gateway does not use, forwarded to an upstream of the same format
 */
public record ChatRequest(
    List<Message> messages,
    String model,
    boolean stream,
    OptionalInt maxTokens,
    List<BodyEffort> bodyEffort,
    Optional<Duration> deadline,
    Optional<Double> maxCostUsd,
    Tools tools,
    List<String> stopSequences,
    ObjectNode unused) {

  /** An effort value found in the body, e.g. {@code reasoning_effort: "high"}. */
  public record BodyEffort(String field, String value) {}

  public ChatRequest {
    messages = List.copyOf(messages);
    bodyEffort = List.copyOf(bodyEffort);
    stopSequences = List.copyOf(stopSequences);
    unused = unused == null ? dev.effort.core.Json.MAPPER.createObjectNode() : unused;
  }

}
