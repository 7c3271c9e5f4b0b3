package dev.effort.providers.grading;

import dev.effort.core.FinalAnswer;
import dev.effort.providers.data.RecordedPrompt;
import java.util.Optional;

/**
 * Grades multiple-choice answers: correct iff the letter the text commits to is the gold letter.
 * A text that commits to no single letter is wrong; without a gold letter the grade is unknown.
 */
public final class ChoiceLetterGrader implements Grader {

  private final GoldAnswers gold;
  private final boolean excludeGradedModel;

  private ChoiceLetterGrader(GoldAnswers gold, boolean excludeGradedModel) {
    this.gold = gold;
    this.excludeGradedModel = excludeGradedModel;
  }

  /** Gold from every recorded label, including the graded model's own. */
  public static ChoiceLetterGrader using(GoldAnswers gold) {
    return new ChoiceLetterGrader(gold, false);
  }

  /** Gold from the other models' labels only: for measuring the grader against the labels. */
  public static ChoiceLetterGrader leaveOneOut(GoldAnswers gold) {
    return new ChoiceLetterGrader(gold, true);
  }

  @Override
  public Grade grade(RecordedPrompt prompt, String model, String answerText) {
    Optional<String> goldLetter = excludeGradedModel
        ? gold.goldLetterExcluding(prompt, model)
        : gold.goldLetter(prompt);
    if (goldLetter.isEmpty()) {
      return Grade.UNKNOWN;
    }
    return Grade.of(FinalAnswer.choiceLetter(answerText).equals(goldLetter));
  }
}
