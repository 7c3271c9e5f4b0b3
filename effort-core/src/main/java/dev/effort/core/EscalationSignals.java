package dev.effort.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an escalate plan knows after a stage: the answers so far (in step order, null for a step
 * that failed) and the prompt. From them, the answer that would stand and the signals a gate
 * scores. Computed from the texts alone, the same way when a plan runs and when its gates are
 * trained on recorded answers.
 */
public final class EscalationSignals {
  /** Signals per answer format block: bias, share agreeing, answer length, prompt length, then two per answer. */
  private static final int SHARED = 4;
  private static final int PER_ANSWER = 2;

  private EscalationSignals() {}

  /** Length of {@link #vector} after {@code answers} answers. */
  public static int length(int answers) {
    return EscalationFormat.values().length * (SHARED + PER_ANSWER * answers);
  }

  /**
   * The answer that stands if the plan stops here: the most common final answer, ties going to
   * the later (stronger) step; for free-form code, the latest answer holding usable code. -1 when
   * every step failed.
   */
  public static int chosen(String prompt, List<String> answers) {
    AnswerFormat format = AnswerFormat.of(prompt);
    String[] keys = keys(format, prompt, answers);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String k : keys) {
      if (k != null) {
        counts.merge(k, 1, Integer::sum);
      }
    }
    int top = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int i = answers.size() - 1; i >= 0; i--) {
      if (keys[i] != null && counts.get(keys[i]) == top) {
        return i;
      }
    }
    for (int i = answers.size() - 1; i >= 0; i--) {
      if (answers.get(i) != null) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The gate's input: within the block of the prompt's {@link EscalationFormat} (other blocks zero), a bias,
   * the share of answers agreeing with the chosen one, log length of the chosen answer, log length
   * of the prompt, then per step whether it agrees with the chosen answer and whether its answer
   * is well-formed (a choice letter, a final number, usable code).
   */
  public static double[] vector(String prompt, List<String> answers) {
    AnswerFormat format = AnswerFormat.of(prompt);
    String[] keys = keys(format, prompt, answers);
    int chosen = chosen(prompt, answers);
    String key = chosen < 0 ? null : keys[chosen];
    int block = SHARED + PER_ANSWER * answers.size();
    double[] v = new double[length(answers.size())];
    int at = EscalationFormat.of(prompt).ordinal() * block;
    int agreeing = 0;
    for (int i = 0; i < answers.size(); i++) {
      boolean agrees = key != null && key.equals(keys[i]);
      agreeing += agrees ? 1 : 0;
      v[at + SHARED + PER_ANSWER * i] = agrees ? 1 : 0;
      v[at + SHARED + PER_ANSWER * i + 1] = keys[i] != null ? 1 : 0;
    }
    v[at] = 1;
    v[at + 1] = (double) agreeing / answers.size();
    v[at + 2] = chosen < 0 ? 0 : Math.log1p(answers.get(chosen).length()) / 8;
    v[at + 3] = Math.log1p(prompt.length()) / 10;
    return v;
  }

  /**
   * Per answer, what must match for two answers to agree, or null when the answer is missing or
   * malformed: the choice letter, the final number; for a coding prompt, the normalized text of
   * an answer holding usable code.
   */
  private static String[] keys(AnswerFormat format, String prompt, List<String> answers) {
    boolean code = format == AnswerFormat.FREE && asksForCode(prompt);
    String[] keys = new String[answers.size()];
    for (int i = 0; i < keys.length; i++) {
      String a = answers.get(i);
      if (a == null || (code && !CodeAnswer.valid(prompt, a))) {
        continue;
      }
      keys[i] = Executor.answerKey(format, a);
    }
    return keys;
  }

  private static boolean asksForCode(String prompt) {
    return CodeAnswer.asked(prompt).isPresent()
        || java.util.regex.Pattern.compile("(?i)\\b(function|python|program|code)\\b").matcher(prompt).find();
  }
}
