package dev.effort.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AutoRoutingTest {

  private static RecordedDataset dataset(String name, List<String> models, String... prompts) {
    List<RecordedPrompt> rows = new java.util.ArrayList<>();
    for (int i = 0; i < prompts.length; i++) {
      Map<String, RecordedOutcome> outcomes = new LinkedHashMap<>();
      for (String m : models) {
        outcomes.put(m, new RecordedOutcome(m, "A", Optional.of(true), OptionalDouble.of(0.001)));
      }
      rows.add(new RecordedPrompt(name + "." + i, name, prompts[i], Optional.empty(), outcomes));
    }
    return new RecordedDataset(name, "arc-challenge", models, rows);
  }

  @Test
  void otherDataIsLearnedFromWithoutAnyPromptBenchedAndOnlyWhereItRecordedEveryModelBenched() {
    List<RecordedDataset> evaluated = List.of(dataset("test", List.of("a", "b"), "q1", "q2"));
    List<RecordedDataset> other = List.of(
        dataset("train", List.of("a", "b", "c"), "q1", "q3", "q2", "q4"),
        dataset("lacks-b", List.of("a", "c"), "q5"),
        dataset("all-benched", List.of("a", "b"), "q2", "q1"));

    List<RecordedDataset> learnable = AutoRouting.learnable(other, evaluated);

    assertThat(learnable).extracting(RecordedDataset::name).containsExactly("train");
    assertThat(learnable.get(0).prompts()).extracting(RecordedPrompt::prompt).containsExactly("q3", "q4");
  }
}
