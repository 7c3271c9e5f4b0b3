package dev.effort.providers.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GradersTest {

  private static RecordedOutcome outcome(String model, String response, Boolean correct) {
    return new RecordedOutcome(model, response, Optional.ofNullable(correct), OptionalDouble.empty());
  }

  private static RecordedPrompt prompt(Optional<String> gold, RecordedOutcome... outcomes) {
    Map<String, RecordedOutcome> byModel = new LinkedHashMap<>();
    for (RecordedOutcome o : outcomes) {
      byModel.put(o.model(), o);
    }
    return new RecordedPrompt("p1", "test", "Which? A) x B) y C) z", gold, byModel);
  }

  private final RecordedPrompt choice = prompt(Optional.empty(),
      outcome("big", "B", true),
      outcome("mid", "B)\n", true),
      outcome("small", "C", false),
      outcome("lone", "D", null));

  @Test
  void goldLetterIsTheLetterOfTheAnswersLabelledCorrect() {
    assertThat(GoldAnswers.fromRecordedLabels().goldLetter(choice)).contains("B");
  }

  @Test
  void leaveOneOutGoldIgnoresTheGradedModelsOwnLabel() {
    RecordedPrompt onlyOneRight = prompt(Optional.empty(),
        outcome("big", "B", true), outcome("small", "C", false));
    GoldAnswers gold = GoldAnswers.fromRecordedLabels();
    assertThat(gold.goldLetter(onlyOneRight)).contains("B");
    assertThat(gold.goldLetterExcluding(onlyOneRight, "big")).isEmpty();
    assertThat(gold.goldLetterExcluding(onlyOneRight, "small")).contains("B");
  }

  @Test
  void tiedLettersAmongCorrectLabelsGiveNoGold() {
    RecordedPrompt tied = prompt(Optional.empty(), outcome("a", "A", true), outcome("b", "B", true));
    assertThat(GoldAnswers.fromRecordedLabels().goldLetter(tied)).isEmpty();
  }

  @Test
  void aGoldLetterStatedByTheDataWins() {
    RecordedPrompt stated = prompt(Optional.of("C"), outcome("big", "B", true));
    assertThat(GoldAnswers.fromRecordedLabels().goldLetterExcluding(stated, "other")).contains("C");
  }

  @Test
  void choiceLetterGraderComparesTheCommittedLetterWithGold() {
    Grader grader = ChoiceLetterGrader.using(GoldAnswers.fromRecordedLabels());
    assertThat(grader.grade(choice, "fresh", "The answer is B.")).isEqualTo(Grade.CORRECT);
    assertThat(grader.grade(choice, "fresh", "(C)")).isEqualTo(Grade.WRONG);
  }

  @Test
  void anAnswerCommittingToNoLetterIsWrongNotUnknown() {
    Grader grader = ChoiceLetterGrader.using(GoldAnswers.fromRecordedLabels());
    assertThat(grader.grade(choice, "fresh", "I do not know")).isEqualTo(Grade.WRONG);
  }

  @Test
  void choiceLetterGraderIsUnknownWithoutGold() {
    RecordedPrompt noneRight = prompt(Optional.empty(), outcome("small", "C", false));
    assertThat(ChoiceLetterGrader.using(GoldAnswers.fromRecordedLabels()).grade(noneRight, "x", "C"))
        .isEqualTo(Grade.UNKNOWN);
  }

  @Test
  void leaveOneOutGraderCannotUseTheOnlyCorrectLabelOfTheGradedModel() {
    RecordedPrompt onlyOneRight = prompt(Optional.empty(),
        outcome("big", "B", true), outcome("small", "C", false));
    Grader grader = ChoiceLetterGrader.leaveOneOut(GoldAnswers.fromRecordedLabels());
    assertThat(grader.grade(onlyOneRight, "big", "B")).isEqualTo(Grade.UNKNOWN);
    assertThat(grader.grade(onlyOneRight, "small", "C")).isEqualTo(Grade.WRONG);
  }

  @Test
  void recordedLabelGraderReturnsTheLabelAndUnknownForBlanksOrAbsentModels() {
    Grader grader = new RecordedLabelGrader();
    assertThat(grader.grade(choice, "big", "ignored")).isEqualTo(Grade.CORRECT);
    assertThat(grader.grade(choice, "small", "ignored")).isEqualTo(Grade.WRONG);
    assertThat(grader.grade(choice, "lone", "D")).isEqualTo(Grade.UNKNOWN);
    assertThat(grader.grade(choice, "absent", "B")).isEqualTo(Grade.UNKNOWN);
  }

  @Test
  void finalNumberGraderComparesNumbersNotStrings() {
    RecordedPrompt math = prompt(Optional.of("18"));
    Grader grader = new FinalNumberGrader();
    assertThat(grader.grade(math, "m", "9 * 2 = 18\n#### 18.00")).isEqualTo(Grade.CORRECT);
    assertThat(grader.grade(math, "m", "She makes $18.")).isEqualTo(Grade.CORRECT);
    assertThat(grader.grade(math, "m", "#### 81")).isEqualTo(Grade.WRONG);
    assertThat(grader.grade(math, "m", "no number at all")).isEqualTo(Grade.WRONG);
  }

  @Test
  void finalNumberGraderIsUnknownWithoutGold() {
    assertThat(new FinalNumberGrader().grade(prompt(Optional.empty()), "m", "#### 18"))
        .isEqualTo(Grade.UNKNOWN);
  }
}
