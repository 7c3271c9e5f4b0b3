package dev.effort.cli.chat;

import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.Parser;

/**
 * Reads a message that may span lines: a line ending in {@code \} continues on the next, and a
 * {@code """} at the start opens a block that a line ending in {@code """} closes. A pasted text
 * of many lines arrives whole (bracketed paste). Telling the
 * line reader that the input is incomplete (an {@link EOFError}) keeps the whole message one
 * entry of the history, editable as one.
 */
final class ChatInput implements Parser {
  static final String BLOCK = "\"\"\"";

  @Override
  public CompletingParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && incomplete(line)) {
      throw new EOFError(-1, -1, "the message continues", openBlock(line) ? BLOCK : "\\");
    }
    return new WholeLine(line, cursor);
  }

  static boolean incomplete(String input) {
    return openBlock(input) || (!isBlock(input) && input.endsWith("\\"));
  }

  /** The message the input means, without the continuation backslashes and block quotes. */
  static String message(String input) {
    if (isBlock(input)) {
      String inner = input.strip().substring(BLOCK.length());
      if (inner.endsWith(BLOCK)) {
        inner = inner.substring(0, inner.length() - BLOCK.length());
      }
      return inner.replaceFirst("\\A[ \\t]*\\r?\\n", "").replaceFirst("\\r?\\n[ \\t]*\\z", "");
    }
    // A pasted text often ends in a line break that the writer did not mean as part of the message.
    return input.replaceAll("\\\\(\\r?\\n)", "$1").replaceFirst("[\\r\\n]+\\z", "");
  }

  private static boolean isBlock(String input) {
    return input.stripLeading().startsWith(BLOCK);
  }

  private static boolean openBlock(String input) {
    if (!isBlock(input)) {
      return false;
    }
    String s = input.strip();
    return s.length() < 2 * BLOCK.length() || !s.endsWith(BLOCK);
  }

  /** The whole input as one word: the chat completes nothing, it only needs to know where input ends. */
  private record WholeLine(String line, int cursor) implements CompletingParsedLine {
    @Override
    public String word() {
      return line;
    }

    @Override
    public int wordCursor() {
      return cursor;
    }

    @Override
    public int wordIndex() {
      return 0;
    }

    @Override
    public List<String> words() {
      return List.of(line);
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return cursor;
    }

    @Override
    public int rawWordLength() {
      return line.length();
    }
  }
}
