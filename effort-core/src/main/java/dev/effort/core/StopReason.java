package dev.effort.core;

import java.util.Locale;

/** Why the model stopped, mapped faithfully between the formats (never a constant). */
public enum StopReason {
  /** The answer is complete: OpenAI {@code stop}, Anthropic {@code end_turn}. */
  END_TURN("stop", "end_turn"),
  /** The output cap was reached: {@code length}, {@code max_tokens}. */
  MAX_TOKENS("length", "max_tokens"),
  /** A client stop sequence was written: {@code stop}, {@code stop_sequence}. */
  STOP_SEQUENCE("stop", "stop_sequence"),
  /** The answer calls tools: {@code tool_calls}, {@code tool_use}. */
  TOOL_USE("tool_calls", "tool_use"),
  /** Refused or filtered: {@code content_filter}, {@code refusal}. */
  REFUSAL("content_filter", "refusal"),
  /** A long server-tool turn paused (Anthropic {@code pause_turn}; OpenAI has none: {@code stop}). */
  PAUSE_TURN("stop", "pause_turn");

  private final String openAi;
  private final String anthropic;

  StopReason(String openAi, String anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  /** The Chat Completions {@code finish_reason}. */
  public String openAi() {
    return openAi;
  }

  /** The Messages {@code stop_reason}. */
  public String anthropic() {
    return anthropic;
  }

  /** From a Chat Completions {@code finish_reason}; {@code function_call} is the old name of tool calls. */
  public static StopReason fromOpenAi(String reason) {
    return switch (reason == null ? "" : reason.toLowerCase(Locale.ROOT)) {
      case "length" -> MAX_TOKENS;
      case "tool_calls", "function_call" -> TOOL_USE;
      case "content_filter" -> REFUSAL;
      default -> END_TURN;
    };
  }

  /** From a Messages {@code stop_reason}. */
  public static StopReason fromAnthropic(String reason) {
    return switch (reason == null ? "" : reason.toLowerCase(Locale.ROOT)) {
      case "max_tokens", "model_context_window_exceeded" -> MAX_TOKENS;
      case "stop_sequence" -> STOP_SEQUENCE;
      case "tool_use" -> TOOL_USE;
      case "refusal" -> REFUSAL;
      case "pause_turn" -> PAUSE_TURN;
      default -> END_TURN;
    };
  }
}
