package dev.effort.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call to one model with its provider-native settings.
 *
 * @param model catalog model id
 * @param nativeEffort the model's own effort knob (Anthropic {@code output_config.effort}, OpenAI
 *     {@code reasoning_effort}), if the plan turns it
 * @param thinkingBudgetTokens thinking budget for models that take one
 * @param maxTokens cap on output tokens, if the plan sets one
 */
public record Step(
    String model, Optional<Effort> nativeEffort, OptionalInt thinkingBudgetTokens, OptionalInt maxTokens) {

  public Step {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(nativeEffort, "nativeEffort");
    Objects.requireNonNull(thinkingBudgetTokens, "thinkingBudgetTokens");
    Objects.requireNonNull(maxTokens, "maxTokens");
    if (model.isBlank()) {
      throw new IllegalArgumentException("a step needs a model");
    }
  }

  /** A plain call to {@code model} with the provider's defaults. */
  public static Step of(String model) {
    return new Step(model, Optional.empty(), OptionalInt.empty(), OptionalInt.empty());
  }

  /**
   * The room for the answer that this step and the ask allow: the smaller of the plan's and the
   * client's caps where both are set; empty when neither is.
   */
  public OptionalInt answerCap(Ask ask) {
    if (maxTokens.isPresent() && ask.maxTokens().isPresent()) {
      return OptionalInt.of(Math.min(maxTokens.getAsInt(), ask.maxTokens().getAsInt()));
    }
    return maxTokens.isPresent() ? maxTokens : ask.maxTokens();
  }

  /** Short form for plan strings: the model id, plus any knobs it turns. */
  public String describe() {
    StringBuilder s = new StringBuilder(model);
    nativeEffort.ifPresent(e -> s.append(" effort=").append(e.wireName()));
    thinkingBudgetTokens.ifPresent(t -> s.append(" thinking=").append(t));
    maxTokens.ifPresent(t -> s.append(" max_tokens=").append(t));
    return s.toString();
  }
}
