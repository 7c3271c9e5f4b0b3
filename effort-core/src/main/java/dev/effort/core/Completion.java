package dev.effort.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one provider call returned.
 *
 * @param model the model that answered
 * @param content the answer's blocks in order: thinking (with the upstream's signature), text, tool calls
 * @param stopReason why the model stopped, as the upstream said
 * @param stopSequence the stop sequence written, when that is why
 * @param usage tokens in, out and thinking
 * @param costUsd what the call cost
 * @param ttft time to first token (measured live, modeled on replay)
 * @param latency total time of the call (measured live, modeled on replay)
 */
public record Completion(
    String model, List<Content> content, StopReason stopReason, Optional<String> stopSequence, Usage usage,
    double costUsd, Duration ttft, Duration latency) {

  public Completion {
    Objects.requireNonNull(model, "model");
    content = List.copyOf(content);
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(stopSequence, "stopSequence");
  }

  /** A finished text answer, with unsigned thinking when {@code thinking} is not empty. */
  public Completion(String model, String text, String thinking, Usage usage, double costUsd, Duration ttft, Duration latency) {
    this(model, blocks(thinking, text), StopReason.END_TURN, Optional.empty(), usage, costUsd, ttft, latency);
  }

  /** A finished text answer without visible thinking. */
  public Completion(String model, String text, Usage usage, double costUsd, Duration ttft, Duration latency) {
    this(model, text, "", usage, costUsd, ttft, latency);
  }

  private static List<Content> blocks(String thinking, String text) {
    List<Content> blocks = new ArrayList<>(2);
    if (!thinking.isEmpty()) {
      blocks.add(Content.Thinking.unsigned(thinking));
    }
    blocks.add(new Content.Text(text));
    return blocks;
  }

  /** The answer text (text blocks joined). */
  public String text() {
    return Answers.text(content);
  }

  /** The visible thinking, empty when none. */
  public String thinking() {
    return Answers.thinking(content);
  }

  public List<Content.ToolCall> toolCalls() {
    return Answers.toolCalls(content);
  }
}
