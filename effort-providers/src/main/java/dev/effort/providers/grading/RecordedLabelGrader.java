package dev.effort.providers.grading;

import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;

/**
 * The label recorded for the model's answer to the prompt. It ignores the text, so it is only
 * valid when the text graded is the recorded one (replay), e.g. MBPP code graded upstream by tests.
 */
public final class RecordedLabelGrader implements Grader {

  @Override
  public Grade grade(RecordedPrompt prompt, String model, String answerText) {
    return prompt.outcome(model)
        .flatMap(RecordedOutcome::correct)
        .map(Grade::of)
        .orElse(Grade.UNKNOWN);
  }
}
