package dev.effort.server;

import dev.effort.core.Message;
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
 */
public record ChatRequest(
    List<Message> messages,
    String model,
    boolean stream,
    OptionalInt maxTokens,
    List<BodyEffort> bodyEffort,
    Optional<Duration> deadline,
    Optional<Double> maxCostUsd) {

  /** An effort value found in the body, e.g. {@code reasoning_effort: "high"}. */
  public record BodyEffort(String field, String value) {}

  public ChatRequest {
    messages = List.copyOf(messages);
    bodyEffort = List.copyOf(bodyEffort);
  }
}
