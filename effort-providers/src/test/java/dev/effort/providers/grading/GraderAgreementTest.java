package dev.effort.providers.grading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.providers.RecordedDataFolder;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouteLlmData;
import dev.effort.providers.data.RouterBenchCsv;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Whether the text graders can stand in for the recorded labels. Figures are printed so that
 * they can be quoted; floors are the measured values rounded down.
 */
class GraderAgreementTest {

  private static final Grader LEAVE_ONE_OUT_CHOICE =
      ChoiceLetterGrader.leaveOneOut(GoldAnswers.fromRecordedLabels());

  private static GraderAgreement report(String label, GraderAgreement a) {
    System.out.println("Grader agreement, " + label + ": " + a.summary());
    for (GraderAgreement.Disagreement e : a.examples()) {
      String text = e.answerText().strip();
      String tail = text.length() <= 70 ? text : "…" + text.substring(text.length() - 70);
      System.out.printf("    %s %s: recorded %s, graded %s, answer \"%s\"%n", e.promptId(), e.model(),
          e.recordedCorrect() ? "correct" : "wrong", e.grade(), tail.replace("\n", "\\n"));
    }
    return a;
  }

  private static RecordedDataset routerBench(String file) {
    return RouterBenchCsv.load(RecordedDataFolder.routerBench().resolve(file));
  }

  private static RecordedDataset gsm8k() {
    Path root = RecordedDataFolder.routeLlm();
    return RouteLlmData.loadGsm8k(root.resolve("gsm8k_responses.csv"), root.resolve("gsm8k_test.jsonl"));
  }

  @Test
  void choiceLetterGraderWithLeaveOneOutGoldAgreesWithArcLabels() {
    GraderAgreement a = report("ARC, choice letter (leave-one-out gold)",
        GraderAgreement.measure(routerBench("arc_challenge_train.csv"), LEAVE_ONE_OUT_CHOICE));
    assertThat(a.rate()).isGreaterThanOrEqualTo(0.98);
    assertThat(a.agree()).isGreaterThan(11_000);
  }

  @Test
  void choiceLetterGraderWithLeaveOneOutGoldAgreesWithWinograndeLabels() {
    GraderAgreement a = report("Winogrande, choice letter (leave-one-out gold)",
        GraderAgreement.measure(routerBench("winograde_train.csv"), LEAVE_ONE_OUT_CHOICE));
    assertThat(a.rate()).isGreaterThanOrEqualTo(0.999);
    assertThat(a.agree()).isGreaterThan(9_700);
  }

  @Test
  void finalNumberGraderAgreesWithGsm8kLabels() {
    GraderAgreement a = report("GSM8K, final number",
        GraderAgreement.measure(gsm8k(), new FinalNumberGrader(), 5));
    assertThat(a.rate()).isGreaterThanOrEqualTo(0.975);
    assertThat(a.unknown()).isZero();
  }

  // The GSM8K gap is upstream's grading, not ours: its labels are reproduced almost exactly by
  // "the last run of digits, commas removed, equals the gold digits", which misreads "$20.00"
  // (as 00), "0.84" (as 84) and "-15" (as 15).
  @Test
  void gsm8kLabelsFollowTheLastDigitRunRule() {
    Pattern digits = Pattern.compile("\\d+");
    Grader lastDigitRun = (prompt, model, text) -> {
      Matcher m = digits.matcher(text.replace(",", ""));
      String last = null;
      while (m.find()) {
        last = m.group();
      }
      return Grade.of(prompt.gold().orElseThrow().replace("-", "").equals(last));
    };
    GraderAgreement a = report("GSM8K, upstream's last-digit-run rule",
        GraderAgreement.measure(gsm8k(), lastDigitRun, 5));
    assertThat(a.disagree()).isLessThanOrEqualTo(3);
  }

  @Test
  void unknownCountsPairsWithBlankLabelsOrNoGold() {
    Map<String, RecordedOutcome> outcomes = new LinkedHashMap<>();
    outcomes.put("a", new RecordedOutcome("a", "B", Optional.of(true), OptionalDouble.empty()));
    outcomes.put("b", new RecordedOutcome("b", "B", Optional.of(true), OptionalDouble.empty()));
    outcomes.put("c", new RecordedOutcome("c", "B", Optional.of(false), OptionalDouble.empty()));
    outcomes.put("d", new RecordedOutcome("d", "A", Optional.empty(), OptionalDouble.empty()));
    RecordedDataset data = new RecordedDataset("tiny", "quiz", List.of("a", "b", "c", "d"),
        List.of(new RecordedPrompt("p", "tiny", "Q", Optional.empty(), outcomes)));
    GraderAgreement a = GraderAgreement.measure(data, LEAVE_ONE_OUT_CHOICE);
    assertThat(a.agree()).isEqualTo(2);
    assertThat(a.disagree()).isEqualTo(1);
    assertThat(a.unknown()).isEqualTo(1);
    assertThat(a.rate()).isEqualTo(2.0 / 3);
    assertThat(a.examples()).singleElement()
        .isEqualTo(new GraderAgreement.Disagreement("p", "c", "B", false, Grade.CORRECT));
  }

  @Test
  void rateIsNotANumberWhenNothingIsKnown() {
    RecordedDataset empty = new RecordedDataset("none", "quiz", List.of(), List.of());
    assertThat(GraderAgreement.measure(empty, LEAVE_ONE_OUT_CHOICE).rate()).isNaN();
  }
}
