package dev.effort.providers.grading;

import dev.effort.core.FinalAnswer;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gold choice letter of multiple-choice prompts. RouterBench has no gold column, so the
 * letter is derived from the recording: the letter given by the majority of the answers labelled
 * correct. A gold letter the data states ({@link RecordedPrompt#gold()}) is used as it is.
 */
public final class GoldAnswers {

  private static final Pattern LETTER = Pattern.compile("[A-E]");

  private GoldAnswers() {}

  public static GoldAnswers fromRecordedLabels() {
    return new GoldAnswers();
  }

  /** The gold letter using every recorded label; empty when no labelled-correct answer gives one or a tie. */
  public Optional<String> goldLetter(RecordedPrompt prompt) {
    return goldLetterExcluding(prompt, null);
  }

  /**
   * The gold letter without the label of {@code model}, so that grading that model's answer never
   * uses its own label: agreement with the recorded labels measured this way is honest.
   */
  public Optional<String> goldLetterExcluding(RecordedPrompt prompt, String model) {
    Optional<String> stated = prompt.gold().filter(g -> LETTER.matcher(g).matches());
    if (stated.isPresent()) {
      return stated;
    }
    Map<String, Integer> votes = new HashMap<>();
    for (RecordedOutcome o : prompt.outcomes().values()) {
      if (!o.model().equals(model) && o.correct().orElse(false)) {
        FinalAnswer.choiceLetter(o.response()).ifPresent(letter -> votes.merge(letter, 1, Integer::sum));
      }
    }
    return majority(votes);
  }

  private static Optional<String> majority(Map<String, Integer> votes) {
    String best = null;
    int bestVotes = 0;
    boolean tie = false;
    for (Map.Entry<String, Integer> v : votes.entrySet()) {
      if (v.getValue() > bestVotes) {
        best = v.getKey();
        bestVotes = v.getValue();
        tie = false;
      } else if (v.getValue() == bestVotes) {
        tie = true;
      }
    }
    return tie ? Optional.empty() : Optional.ofNullable(best);
  }
}
