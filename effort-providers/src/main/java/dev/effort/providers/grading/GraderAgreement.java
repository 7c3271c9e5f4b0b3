package dev.effort.providers.grading;

import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How often a text grader agrees with the recorded labels, over every (prompt, model) pair of a
 * dataset. Tells whether the grader can score answers the recording does not label.
 *
 * @param agree pairs where both are known and equal
 * @param disagree pairs where both are known and differ
 * @param unknown pairs where the label or the grade is unknown
 * @param examples the first disagreements, to see why
 */
public record GraderAgreement(
    String dataset, int agree, int disagree, int unknown, List<Disagreement> examples) {

  public static final int DEFAULT_EXAMPLES = 10;

  /** One pair where grader and label differ. */
  public record Disagreement(
      String promptId, String model, String answerText, boolean recordedCorrect, Grade grade) {}

  public GraderAgreement {
    examples = List.copyOf(examples);
  }

  public static GraderAgreement measure(RecordedDataset data, Grader grader) {
    return measure(data, grader, DEFAULT_EXAMPLES);
  }

  public static GraderAgreement measure(RecordedDataset data, Grader grader, int maxExamples) {
    int agree = 0;
    int disagree = 0;
    int unknown = 0;
    List<Disagreement> examples = new ArrayList<>();
    for (RecordedPrompt prompt : data.prompts()) {
      for (RecordedOutcome outcome : prompt.outcomes().values()) {
        Optional<Boolean> label = outcome.correct();
        Grade grade = grader.grade(prompt, outcome.model(), outcome.response());
        if (label.isEmpty() || grade == Grade.UNKNOWN) {
          unknown++;
        } else if (Grade.of(label.get()) == grade) {
          agree++;
        } else {
          disagree++;
          if (examples.size() < maxExamples) {
            examples.add(new Disagreement(
                prompt.id(), outcome.model(), outcome.response(), label.get(), grade));
          }
        }
      }
    }
    return new GraderAgreement(data.name(), agree, disagree, unknown, examples);
  }

  /** Share of the known pairs where grader and label agree; NaN when none is known. */
  public double rate() {
    int known = agree + disagree;
    return known == 0 ? Double.NaN : (double) agree / known;
  }

  /** E.g. "arc_challenge_train: 11156 agree, 2 disagree (rate 0.9998), 271 unknown". */
  public String summary() {
    return String.format(Locale.ROOT, "%s: %d agree, %d disagree (rate %.4f), %d unknown",
        dataset, agree, disagree, rate(), unknown);
  }
}
