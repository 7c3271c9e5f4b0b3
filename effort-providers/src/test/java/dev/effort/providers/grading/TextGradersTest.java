package dev.effort.providers.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.providers.data.RecordedPrompt;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextGradersTest {

  private static RecordedPrompt prompt(String task, Optional<String> gold) {
    return new RecordedPrompt("p1", task, "Which?", gold, Map.of());
  }

  @Test
  void multipleChoiceTasksAreGradedByTheChoiceLetter() {
    for (String task : new String[] {"arc-challenge", "winogrande", "mmlu", "hellaswag"}) {
      Grader grader = TextGraders.forTask(task).orElseThrow();
      assertThat(grader.grade(prompt(task, Optional.of("C")), "any", "The answer is C")).isEqualTo(Grade.CORRECT);
      assertThat(grader.grade(prompt(task, Optional.of("C")), "any", "B")).isEqualTo(Grade.WRONG);
    }
  }

  @Test
  void gsm8kIsGradedByTheFinalNumber() {
    Grader grader = TextGraders.forTask("gsm8k").orElseThrow();
    assertThat(grader.grade(prompt("gsm8k", Optional.of("18")), "any", "16 - 3 - 4 = 9; 9 * 2 = 18\n#### 18"))
        .isEqualTo(Grade.CORRECT);
  }

  @Test
  void codeTasksHaveNoTextGrader() {
    assertThat(TextGraders.forTask("mbpp")).isEmpty();
  }
}
