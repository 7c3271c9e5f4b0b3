package dev.effort.cli.chat;

import dev.effort.core.Deltas;
import java.io.PrintWriter;

/**
 * Prints an answer as it arrives: thinking dimmed (ANSI faint) on a terminal that shows styles,
 * then the text. Once stopped (Ctrl-C), it prints nothing more of the answer, whatever the call
 * still delivers.
 */
final class AnswerPrinter implements Deltas {
  private static final String FAINT = "\u001b[2m";
  private static final String NORMAL = "\u001b[22m";

  private final PrintWriter out;
  private final boolean styled;
  private boolean stopped;
  private boolean inThinking;
  private boolean printed;
  private boolean endsLine = true;

  AnswerPrinter(PrintWriter out, boolean styled) {
    this.out = out;
    this.styled = styled;
  }

  static String faint(String text) {
    return FAINT + text + NORMAL;
  }

  @Override
  public synchronized void thinking(String delta) {
    if (stopped || delta.isEmpty()) {
      return;
    }
    if (!inThinking && styled) {
      out.print(FAINT);
    }
    inThinking = true;
    write(delta);
  }

  @Override
  public synchronized void text(String delta) {
    if (stopped || delta.isEmpty()) {
      return;
    }
    leaveThinking();
    write(delta);
  }

  private void leaveThinking() {
    if (inThinking) {
      if (styled) {
        out.print(NORMAL);
      }
      inThinking = false;
      if (!endsLine) {
        out.println();
        endsLine = true;
      }
    }
  }

  private void write(String delta) {
    out.print(delta);
    out.flush();
    printed = true;
    endsLine = delta.endsWith("\n");
  }

  /** No more output from this answer. */
  synchronized void stop() {
    end();
    stopped = true;
  }

  /** Ends the answer's output on a line of its own, styles reset. */
  synchronized void end() {
    if (stopped) {
      return;
    }
    leaveThinking();
    if (printed && !endsLine) {
      out.println();
      endsLine = true;
    }
    out.flush();
  }
}
