package dev.effort.core;

import java.util.Locale;

/** How the steps of a plan are combined. */
public enum Strategy {
  /** One call. */
  SINGLE,
  /**
   * Cheap steps first, in parallel; their answer is accepted when they agree (a signal computable
   * at run time), else the last step answers.
   */
  CASCADE,
  /** All steps in parallel; the majority answer wins, ties go to the step listed first. */
  VOTE,
  /**
   * Stages of steps, cheapest first; after each stage a learned scorer ({@link Escalation}) reads
   * the answers so far and accepts the best of them or escalates to the next stage.
   */
  ESCALATE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Strategy parse(String value) {
    for (Strategy s : values()) {
      if (s.wireName().equalsIgnoreCase(value.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown strategy '" + value + "'; accepted: single, cascade, vote, escalate");
  }
}
