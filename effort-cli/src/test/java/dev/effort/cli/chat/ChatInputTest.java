package dev.effort.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatInputTest {
  @Test
  void aTrailingBackslashOrAnOpenBlockMeansTheMessageGoesOn() {
    assertThat(ChatInput.incomplete("first line\\")).isTrue();
    assertThat(ChatInput.incomplete("\"\"\"")).isTrue();
    assertThat(ChatInput.incomplete("\"\"\"\nstill open")).isTrue();
    assertThat(ChatInput.incomplete("\"\"\"\nclosed\n\"\"\"")).isFalse();
    assertThat(ChatInput.incomplete("\"\"\"a backslash\\ inside a block is text\\")).isTrue();
    assertThat(ChatInput.incomplete("done")).isFalse();
  }

  @Test
  void theMessageLosesTheContinuationBackslashesAndTheBlockQuotes() {
    assertThat(ChatInput.message("one\\\ntwo")).isEqualTo("one\ntwo");
    assertThat(ChatInput.message("\"\"\"\nA\n\nB\\\n\"\"\"")).isEqualTo("A\n\nB\\");
    assertThat(ChatInput.message("\"\"\"one line\"\"\"")).isEqualTo("one line");
  }

  @Test
  void aPastedTextLosesItsTrailingLineBreaksButNotItsOtherBlanks() {
    assertThat(ChatInput.message("Question?\nAnswer:\n\n")).isEqualTo("Question?\nAnswer:");
    assertThat(ChatInput.message("  indented ")).isEqualTo("  indented ");
  }
}
