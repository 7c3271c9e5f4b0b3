package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FocusedTextTest {

  private static final String INSTRUCTION = "Print only a single choice  from \"A\" or \"B\" or \"C\" without explanation.";

  private static String solved(String question, String answer) {
    return question + "\nA) one\nB) two\nC) three\n" + INSTRUCTION + "\nAnswer:\n" + answer;
  }

  @Test
  void fewShotPromptFocusesOnTheOpenQuestionWithoutItsBoilerplate() {
    String prompt = solved("Which gas do plants take in?", "B") + "\n\n"
        + solved("What melts ice fastest?", "A") + "\n\n"
        + "Why do leaves change colour in autumn?\nA) cold\nB) less chlorophyll\nC) wind\n" + INSTRUCTION + "\nAnswer:";

    assertThat(FocusedText.of(prompt))
        .isEqualTo("Why do leaves change colour in autumn?\nA) cold\nB) less chlorophyll\nC) wind");
  }

  @Test
  void shortQuestionKeepsTheContextBeforeItButNoSolvedExample() {
    String context = "Tom has a red bike and a blue car. He lends the bike to Ann on Monday and asks for it back on Friday.";
    String prompt = solved("Which gas do plants take in?", "B") + "\n\n" + context + "\n\nWhat colour is the thing Ann borrowed?";

    assertThat(FocusedText.of(prompt)).isEqualTo(context + "\n\nWhat colour is the thing Ann borrowed?");
  }

  @Test
  void lastBlockLongEnoughStandsAlone() {
    String question = "Explain, step by step, ".repeat(20) + "why the sky is blue.";
    assertThat(FocusedText.of("Some earlier paragraph.\n\n" + question)).isEqualTo(question);
  }

  @Test
  void winograndeHeaderIsBoilerplate() {
    String prompt = "Please answer with the letter of the correct answer.\n\n"
        + "The trophy did not fit in the case because the _ was too big.\nA) trophy\nB) case\n"
        + "Print only a single choice  from \"A\" or \"B\" without explanation. Answer:";

    assertThat(FocusedText.of(prompt))
        .isEqualTo("The trophy did not fit in the case because the _ was too big.\nA) trophy\nB) case");
  }

  @Test
  void plainPromptIsItself() {
    assertThat(FocusedText.of("  Write a function to reverse a list.\r\n")).isEqualTo("Write a function to reverse a list.");
  }

  @Test
  void longTextIsCutToItsEndAtAWord() {
    String text = "word ".repeat(500) + "final question?";
    String focus = FocusedText.of(text);
    assertThat(focus).hasSizeLessThanOrEqualTo(FocusedText.MAX_CHARS).startsWith("word ").endsWith("final question?");
  }

  @Test
  void promptOfOnlyBoilerplateFallsBackToItself() {
    assertThat(FocusedText.of("Answer:")).isEqualTo("Answer:");
    assertThat(FocusedText.of("   ")).isEmpty();
  }
}
