package dev.effort.providers.live;

import dev.effort.core.Effort;

/**
 * How many tokens one call may produce, and how many of them thinking may take. Thinking never
 * leaves an answer without room: the cap on the whole output is the answer's room plus the
 * thinking's, within the model's limit, and where the limit is too tight thinking gives way first
 * (down to the answer's {@link #MIN_ANSWER_ROOM}).
 *
 * @param maxTokens the cap to send upstream (thinking and answer together)
 * @param thinkingTokens the room set aside for thinking, 0 when the call does not think
 */
record OutputBudget(int maxTokens, int thinkingTokens) {

  /** Room for the answer when neither the plan nor the client set a cap. */
  static final int DEFAULT_ANSWER_TOKENS = 8192;

  /** The answer keeps at least this much room (or the client's cap, if smaller) when thinking competes. */
  static final int MIN_ANSWER_ROOM = 4096;

  /** Anthropic's smallest {@code budget_tokens}. */
  static final int MIN_ANTHROPIC_THINKING_BUDGET = 1024;

  /**
   * Thinking room per effort level: Anthropic's {@code budget_tokens}, and the headroom added to the
   * cap for adaptive thinking and OpenAI reasoning.
   */
  static int thinkingTokensFor(Effort level) {
    return switch (level) {
      case LOW -> 1024;
      case MEDIUM -> 4096;
      case HIGH -> 8192;
      case XHIGH -> 16384;
      case MAX, AUTO -> 32000;
    };
  }

  /**
   * @param answerTokens room for the answer
   * @param thinkingTokens room for thinking, 0 for none
   * @param modelMaxOutput the model's output limit, 0 when unknown (nothing is clamped then)
   */
  static OutputBudget of(int answerTokens, int thinkingTokens, int modelMaxOutput) {
    // Bounded so that answer + thinking cannot overflow, whatever reaches here.
    int answer = Math.max(1, Math.min(answerTokens, Integer.MAX_VALUE / 2));
    int thinking = Math.max(0, Math.min(thinkingTokens, Integer.MAX_VALUE / 2));
    if (modelMaxOutput <= 0) {
      return new OutputBudget(answer + thinking, thinking);
    }
    answer = Math.min(answer, modelMaxOutput);
    if (answer + thinking <= modelMaxOutput) {
      return new OutputBudget(answer + thinking, thinking);
    }
    thinking = Math.max(0, Math.min(thinking, modelMaxOutput - Math.min(answer, MIN_ANSWER_ROOM)));
    answer = Math.min(answer, modelMaxOutput - thinking);
    return new OutputBudget(answer + thinking, thinking);
  }
}
