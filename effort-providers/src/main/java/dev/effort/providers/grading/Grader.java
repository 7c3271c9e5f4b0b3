package dev.effort.providers.grading;

import dev.effort.providers.data.RecordedPrompt;

/** Scores an answer text to a recorded prompt. */
public interface Grader {

  /**
   * @param model the model whose text is graded (some graders must not use its own label)
   * @param answerText the text to grade, recorded or freshly generated
   */
  Grade grade(RecordedPrompt prompt, String model, String answerText);
}
