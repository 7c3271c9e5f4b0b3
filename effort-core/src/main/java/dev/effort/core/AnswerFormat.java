package dev.effort.core;

import java.util.regex.Pattern;

/**
 * The form of answer a prompt asks for, read from the prompt alone. It tells a cascade whether
 * two answers can be compared at run time: choice letters and final numbers can, free text
 * (code, essays) cannot, so probing cheap models for agreement there only adds cost.
 */
public enum AnswerFormat {
  /** Multiple choice: the answer is a letter. */
  CHOICE,
  /** A quantity: the answer ends in a number. */
  NUMBER,
  /** Anything else. */
  FREE;

  // Option lines such as "A) dry palms", "B. paralysis", "(C) 42" — at least two of them.
  private static final Pattern OPTION_LINE =
      Pattern.compile("(?m)^\\s*\\(?([A-E])[).:]\\s+\\S");
  private static final Pattern QUANTITY_QUESTION =
      Pattern.compile("(?i)\\b(how (many|much|long|far|old)|what is the (total|sum|difference|product|number|value)|calculate|compute)\\b");
  private static final Pattern CODE_REQUEST =
      Pattern.compile("(?i)\\b(write|implement|create)\\b.{0,40}\\b(function|program|code|class|script|method)\\b");

  public static AnswerFormat of(String prompt) {
    var options = OPTION_LINE.matcher(prompt);
    int count = 0;
    while (options.find() && count < 2) {
      count++;
    }
    if (count >= 2) {
      return CHOICE;
    }
    if (CODE_REQUEST.matcher(prompt).find()) {
      return FREE;
    }
    return QUANTITY_QUESTION.matcher(prompt).find() ? NUMBER : FREE;
  }

  /** Whether two answers in this format can be compared for agreement at run time. */
  public boolean comparable() {
    return this != FREE;
  }
}
