package dev.effort.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of an ask.
 *
 * @param content the blocks of the step whose answer this is: thinking (signed as its upstream
 *     signed it), text, tool calls
 * @param model the model whose answer this is
 * @param stopReason why that model stopped
 * @param stopSequence the stop sequence written, when that is why
 * @param usage tokens of every step added up
 * @param costUsd cost of every step added up
 * @param ttft time until the answer's first token could be sent
 * @param latency total time: parallel steps count the slowest, sequential steps add up
 * @param trace what was done and why
 */
public record Answer(
    List<Content> content, String model, StopReason stopReason, Optional<String> stopSequence, Usage usage,
    double costUsd, Duration ttft, Duration latency, Trace trace) {

  public Answer {
    content = List.copyOf(content);
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(stopReason, "stopReason");
    Objects.requireNonNull(stopSequence, "stopSequence");
  }

  /** A finished text answer. */
  public Answer(String text, String thinking, String model, Usage usage, double costUsd, Duration ttft, Duration latency,
      Trace trace) {
    this(new Completion(model, text, thinking, usage, costUsd, ttft, latency).content(), model, StopReason.END_TURN,
        Optional.empty(), usage, costUsd, ttft, latency, trace);
  }

  public String text() {
    return Answers.text(content);
  }

  public String thinking() {
    return Answers.thinking(content);
  }

  public List<Content.ToolCall> toolCalls() {
    return Answers.toolCalls(content);
  }
}
