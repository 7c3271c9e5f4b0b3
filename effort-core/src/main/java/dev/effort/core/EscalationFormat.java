package dev.effort.core;

import java.util.regex.Pattern;

/**
 * The answer format as escalation gates tell prompts apart: {@link AnswerFormat}, with choice
 * prompts that offer only two options apart from those that offer more, because two cheap
 * models agree by chance half the time on two options and far less often on four.
 */
public enum EscalationFormat {
  TWO_CHOICE,
  CHOICE,
  NUMBER,
  FREE;

  // The same option lines AnswerFormat counts; their distinct letters are the options offered
  // (few-shot examples repeat the same letters).
  private static final Pattern OPTION_LINE = Pattern.compile("(?m)^\\s*\\(?([A-E])[).:]\\s+\\S");

  public static EscalationFormat of(String prompt) {
    return switch (AnswerFormat.of(prompt)) {
      case CHOICE -> options(prompt) == 2 ? TWO_CHOICE : CHOICE;
      case NUMBER -> NUMBER;
      case FREE -> FREE;
    };
  }

  /** Name in plan JSON: "two_choice", "choice", "number", "free". */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  private static long options(String prompt) {
    return OPTION_LINE.matcher(prompt).results().map(m -> m.group(1)).distinct().count();
  }
}
