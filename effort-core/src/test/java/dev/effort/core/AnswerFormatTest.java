package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerFormatTest {

  @Test
  void optionLinesMakeAMultipleChoicePrompt() {
    assertThat(AnswerFormat.of("Q?\nA) dry palms\nB) wet palms\nAnswer:")).isEqualTo(AnswerFormat.CHOICE);
    assertThat(AnswerFormat.of("Q?\nA. paralysis\nB. loss of taste\nAnswer:")).isEqualTo(AnswerFormat.CHOICE);
  }

  @Test
  void quantityQuestionsAskForANumber() {
    assertThat(AnswerFormat.of("Janet's ducks lay 16 eggs. How much does she make every day?"))
        .isEqualTo(AnswerFormat.NUMBER);
  }

  @Test
  void codeAndProseAreFreeForm() {
    assertThat(AnswerFormat.of("Write a function to find the shared elements of two lists.")).isEqualTo(AnswerFormat.FREE);
    assertThat(AnswerFormat.of("Write a python function to count how many digits a number has."))
        .as("a code request that mentions a quantity is still code").isEqualTo(AnswerFormat.FREE);
    assertThat(AnswerFormat.of("Tell me a story about a dragon.")).isEqualTo(AnswerFormat.FREE);
    assertThat(AnswerFormat.FREE.comparable()).isFalse();
  }
}
