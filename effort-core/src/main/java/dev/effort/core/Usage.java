package dev.effort.core;

/** Tokens of one call or a sum of calls; thinking tokens are counted apart from output tokens. */
public record Usage(long inputTokens, long outputTokens, long thinkingTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0);

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens, outputTokens + other.outputTokens, thinkingTokens + other.thinkingTokens);
  }
}
