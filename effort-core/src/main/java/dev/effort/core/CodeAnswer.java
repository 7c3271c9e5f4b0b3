package dev.effort.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a free-form answer to a coding prompt holds usable Python: a function definition whose
 * brackets balance and, when the prompt's tests call a function by name, that function with the
 * number of arguments the tests pass. A run-time signal of an escalate plan: it reads only the
 * prompt and the answer, never runs the code.
 */
public final class CodeAnswer {
  private static final Pattern FENCED = Pattern.compile("(?s)```[A-Za-z0-9_+-]*\\s*\\n(.*?)```");
  private static final Pattern TAGGED = Pattern.compile("(?s)\\[PYTHON]\\s*(.*?)\\s*\\[/PYTHON]");
  private static final Pattern DEF = Pattern.compile("(?m)^\\s*def\\s+([A-Za-z_]\\w*)\\s*\\(([^)]*)\\)\\s*(->[^:]*)?:");
  private static final Pattern ASSERT_CALL = Pattern.compile("assert\\s+(?:not\\s+)?(?:\\w+\\()?\\s*([A-Za-z_]\\w*)\\(");

  private CodeAnswer() {}

  /** The function the prompt's tests call and how many arguments they pass; empty when no test names one. */
  record Asked(String name, int arity) {}

  static Optional<Asked> asked(String prompt) {
    Matcher m = ASSERT_CALL.matcher(prompt);
    if (!m.find()) {
      return Optional.empty();
    }
    int open = m.end() - 1;
    int close = matching(prompt, open);
    if (close < 0) {
      return Optional.empty();
    }
    return Optional.of(new Asked(m.group(1), topLevelItems(prompt.substring(open + 1, close))));
  }

  /** The code of an answer: its fenced or [PYTHON] blocks, else the whole text. */
  static String code(String answer) {
    List<String> blocks = new ArrayList<>();
    for (Pattern p : List.of(FENCED, TAGGED)) {
      Matcher m = p.matcher(answer);
      while (m.find()) {
        blocks.add(m.group(1));
      }
    }
    return blocks.isEmpty() ? answer : String.join("\n", blocks);
  }

  /** Whether the answer defines a function (the one the prompt's tests call, if any) in balanced code. */
  public static boolean valid(String prompt, String answer) {
    if (answer == null || answer.isBlank()) {
      return false;
    }
    String code = code(answer);
    if (!balanced(code)) {
      return false;
    }
    Optional<Asked> asked = asked(prompt);
    Matcher def = DEF.matcher(code);
    while (def.find()) {
      if (asked.isEmpty()) {
        return true;
      }
      if (def.group(1).equals(asked.get().name()) && accepts(def.group(2), asked.get().arity())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a parameter list can take {@code arity} positional arguments. */
  private static boolean accepts(String params, int arity) {
    List<String> names = new ArrayList<>();
    for (String p : params.split(",")) {
      String t = p.strip();
      if (!t.isEmpty() && !t.equals("self")) {
        names.add(t);
      }
    }
    if (names.stream().anyMatch(n -> n.startsWith("*"))) {
      return true;
    }
    long required = names.stream().filter(n -> !n.contains("=")).count();
    return arity >= required && arity <= names.size();
  }

  private static int topLevelItems(String args) {
    if (args.isBlank()) {
      return 0;
    }
    int depth = 0;
    int items = 1;
    for (int i = 0; i < args.length(); i++) {
      char ch = args.charAt(i);
      if (ch == '\'' || ch == '"') {
        i = closingQuote(args, i);
      } else if ("([{".indexOf(ch) >= 0) {
        depth++;
      } else if (")]}".indexOf(ch) >= 0) {
        depth--;
      } else if (ch == ',' && depth == 0) {
        items++;
      }
    }
    return items;
  }

  private static int matching(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\'' || ch == '"') {
        i = closingQuote(s, i);
      } else if (ch == '(') {
        depth++;
      } else if (ch == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Where the string literal opened at {@code open} closes (a backslash escapes the next character); the end if it does not. */
  private static int closingQuote(String s, int open) {
    char quote = s.charAt(open);
    for (int i = open + 1; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (ch == quote) {
        return i;
      }
    }
    return s.length();
  }

  /** Brackets balance outside strings and comments (a cut-off answer leaves some open). */
  static boolean balanced(String code) {
    StringBuilder open = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        if (ch == '#') {
          break;
        } else if (ch == '\'' || ch == '"') {
          i = closingQuote(line, i);
        } else if ("([{".indexOf(ch) >= 0) {
          open.append(ch);
        } else if (")]}".indexOf(ch) >= 0) {
          if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(ch)) {
            return false;
          }
          open.setLength(open.length() - 1);
        }
      }
    }
    return open.isEmpty();
  }
}
