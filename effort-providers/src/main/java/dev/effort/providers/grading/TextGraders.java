package dev.effort.providers.grading;

import java.util.Locale;
import java.util.Optional;

/**
 * The grader that scores fresh answer texts (not recorded ones) for a data set's task: the choice
 * letter for multiple-choice tasks, the final number for GSM8K. Tasks whose answers need running
 * (MBPP's code, graded upstream by tests) have none: their grades are unknown.
 */
public final class TextGraders {
  private TextGraders() {}

  /** By {@link dev.effort.providers.data.RecordedDataset#task()}, e.g. {@code arc-challenge}, {@code gsm8k}. */
  public static Optional<Grader> forTask(String task) {
    String t = task.toLowerCase(Locale.ROOT);
    if (t.contains("gsm8k")) {
      return Optional.of(new FinalNumberGrader());
    }
    if (t.contains("arc") || t.contains("winogrande") || t.contains("mmlu") || t.contains("hellaswag")) {
      return Optional.of(ChoiceLetterGrader.using(GoldAnswers.fromRecordedLabels()));
    }
    return Optional.empty();
  }
}
