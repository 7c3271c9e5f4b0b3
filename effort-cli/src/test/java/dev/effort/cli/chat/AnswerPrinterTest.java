package dev.effort.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AnswerPrinterTest {
  final StringWriter screen = new StringWriter();

  @Test
  void thinkingIsFaintOnAStyledTerminalAndTheAnswerStartsOnItsOwnLine() {
    AnswerPrinter printer = new AnswerPrinter(new PrintWriter(screen), true);
    printer.thinking("Let me ");
    printer.thinking("see.");
    printer.text("Four.");
    printer.end();

    assertThat(screen.toString()).isEqualTo("\u001b[2mLet me see.\u001b[22m" + System.lineSeparator() + "Four."
        + System.lineSeparator());
  }

  @Test
  void aDumbTerminalGetsPlainText() {
    AnswerPrinter printer = new AnswerPrinter(new PrintWriter(screen), false);
    printer.thinking("Hmm.");
    printer.text("Four.\n");
    printer.end();

    assertThat(screen.toString()).isEqualTo("Hmm." + System.lineSeparator() + "Four.\n");
  }

  @Test
  void nothingIsPrintedOnceStoppedAndTheStyleIsReset() {
    AnswerPrinter printer = new AnswerPrinter(new PrintWriter(screen), true);
    printer.thinking("deep");
    printer.stop();
    printer.text("late words");
    printer.end();

    assertThat(screen.toString()).isEqualTo("\u001b[2mdeep\u001b[22m" + System.lineSeparator());
  }
}
