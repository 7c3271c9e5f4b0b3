package dev.effort.providers.live;

import dev.effort.core.Usage;
import dev.effort.providers.TokenCounter;

/**
 * Splits an upstream's output count into answer and thinking tokens where the upstream reports only
 * the sum (Anthropic's {@code output_tokens}; OpenAI-compatible servers without {@code
 * reasoning_tokens}).
 *
 * <p>The answer text is counted (jtokkit {@code cl100k_base}, an estimate for non-OpenAI
 * tokenizers) and the rest of the output is thinking. Counting the answer rather than the visible
 * thinking is deliberate: Claude 4 models bill the full thinking but show only a summary of it (or
 * nothing, for redacted or omitted thinking), so the visible thinking undercounts what was billed,
 * while the answer is shown whole.
 */
final class ThinkingTokens {
  private ThinkingTokens() {}

  /**
   * @param thought whether the call thought at all (a thinking block or reasoning text was seen);
   *     when not, every output token is an answer token
   */
  static Usage split(long inputTokens, long outputTokens, String answerText, boolean thought) {
    if (!thought) {
      return new Usage(inputTokens, outputTokens, 0);
    }
    long answer = Math.min(outputTokens, TokenCounter.count(answerText));
    return new Usage(inputTokens, answer, outputTokens - answer);
  }
}
