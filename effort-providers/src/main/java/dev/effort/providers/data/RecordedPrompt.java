package dev.effort.providers.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One prompt of a recorded dataset with every model's outcome.
 *
 * @param id unique within its dataset
 * @param dataset the name of the dataset it belongs to
 * @param prompt the text sent to the models
 * @param gold the reference answer when the data has one (the GSM8K number), else empty
 * @param outcomes by model id, in the column order of the data
 */
public record RecordedPrompt(
    String id,
    String dataset,
    String prompt,
    Optional<String> gold,
    Map<String, RecordedOutcome> outcomes) {

  public RecordedPrompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(gold, "gold");
    // Copied into a LinkedHashMap because Map.copyOf would lose the column order.
    outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
  }

  public Optional<RecordedOutcome> outcome(String model) {
    return Optional.ofNullable(outcomes.get(model));
  }
}
