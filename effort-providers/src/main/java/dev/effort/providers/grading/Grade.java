package dev.effort.providers.grading;

/** The verdict on one answer. UNKNOWN when there is nothing to grade against. */
public enum Grade {
  CORRECT,
  WRONG,
  UNKNOWN;

  static Grade of(boolean correct) {
    return correct ? CORRECT : WRONG;
  }
}
