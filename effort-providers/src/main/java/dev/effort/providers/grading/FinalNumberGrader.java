package dev.effort.providers.grading;

import dev.effort.core.FinalAnswer;
import dev.effort.providers.data.RecordedPrompt;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Grades worked numeric answers (GSM8K): correct iff the text's final number equals the gold
 * number. Compared as numbers, so "18.00" and "18" agree; unknown when the prompt has no gold.
 */
public final class FinalNumberGrader implements Grader {

  @Override
  public Grade grade(RecordedPrompt prompt, String model, String answerText) {
    Optional<BigDecimal> gold = prompt.gold().flatMap(FinalNumberGrader::number);
    if (gold.isEmpty()) {
      return Grade.UNKNOWN;
    }
    Optional<BigDecimal> answer = FinalAnswer.finalNumber(answerText).flatMap(FinalNumberGrader::number);
    return Grade.of(answer.isPresent() && answer.get().compareTo(gold.get()) == 0);
  }

  private static Optional<BigDecimal> number(String text) {
    try {
      return Optional.of(new BigDecimal(text.strip().replace(",", "")));
    } catch (NumberFormatException e) {
      return FinalAnswer.finalNumber(text).map(BigDecimal::new);
    }
  }
}
