package dev.effort.providers.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text of Python's {@code str(list_of_strings)}, the form in which RouterBench stores
 * prompts and answers. Only what Python's {@code repr} writes is accepted, so a damaged cell is
 * reported instead of being read as something else.
 */
public final class PythonLiteral {

  private final String text;
  private int pos;

  private PythonLiteral(String text) {
    this.text = text;
  }

  /**
   * Parses {@code ['a', "b's"]} into its strings. A lone string literal ({@code ''}) gives a
   * one-element list; {@code []} an empty one.
   *
   * @throws IllegalArgumentException naming the character offset and what was expected there
   */
  public static List<String> parseStringList(String literal) {
    if (literal == null) {
      throw new IllegalArgumentException("expected a Python list of strings, got null");
    }
    PythonLiteral parser = new PythonLiteral(literal);
    List<String> result = parser.listOrString();
    parser.skipSpaces();
    if (parser.pos != literal.length()) {
      throw parser.error("end of input after the literal");
    }
    return result;
  }

  private List<String> listOrString() {
    skipSpaces();
    if (pos < text.length() && isQuote(text.charAt(pos))) {
      return List.of(string());
    }
    expect('[', "'[' or a quote");
    List<String> items = new ArrayList<>();
    skipSpaces();
    if (peekIs(']')) {
      pos++;
      return items;
    }
    while (true) {
      skipSpaces();
      items.add(string());
      skipSpaces();
      if (peekIs(',')) {
        pos++;
        skipSpaces();
        if (peekIs(']')) { // Python accepts a trailing comma
          pos++;
          return items;
        }
      } else {
        expect(']', "',' or ']'");
        return items;
      }
    }
  }

  private String string() {
    if (pos >= text.length() || !isQuote(text.charAt(pos))) {
      throw error("a quote (' or \") opening a string");
    }
    char quote = text.charAt(pos++);
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("closing " + quote + " of the string");
      }
      char c = text.charAt(pos);
      if (c == quote) {
        pos++;
        return out.toString();
      }
      if (c == '\n' || c == '\r') {
        throw error("closing " + quote + " before the line break (Python writes \\n)");
      }
      if (c == '\\') {
        escape(out);
      } else {
        out.append(c);
        pos++;
      }
    }
  }

  private void escape(StringBuilder out) {
    int start = pos;
    pos++; // the backslash
    if (pos >= text.length()) {
      throw error("an escaped character after '\\'");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case '\\', '\'', '"' -> out.append(c);
      case 'n' -> out.append('\n');
      case 't' -> out.append('\t');
      case 'r' -> out.append('\r');
      case 'x' -> out.appendCodePoint(hex(2));
      case 'u' -> out.appendCodePoint(hex(4));
      case 'U' -> {
        int codePoint = hex(8);
        if (!Character.isValidCodePoint(codePoint)) {
          pos = start;
          throw error("a code point up to \\U0010ffff");
        }
        out.appendCodePoint(codePoint);
      }
      default -> {
        pos = start;
        throw error("one of the escapes \\\\ \\' \\\" \\n \\t \\r \\xNN \\uNNNN \\UNNNNNNNN");
      }
    }
  }

  private int hex(int digits) {
    if (pos + digits > text.length()) {
      throw error(digits + " hex digits");
    }
    int value = 0;
    for (int i = 0; i < digits; i++) {
      char c = text.charAt(pos);
      int d = c < 128 ? Character.digit(c, 16) : -1; // ASCII only, as Python writes them
      if (d < 0) {
        throw error(digits + " hex digits");
      }
      value = value * 16 + d;
      pos++;
    }
    return value;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peekIs(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c, String what) {
    if (!peekIs(c)) {
      throw error(what);
    }
    pos++;
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  private IllegalArgumentException error(String expected) {
    String found = pos >= text.length()
        ? "end of input"
        : "'" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'";
    return new IllegalArgumentException(
        "Python string list: at offset " + pos + " expected " + expected + ", found " + found);
  }
}
