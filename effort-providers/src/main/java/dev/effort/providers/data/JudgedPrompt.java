package dev.effort.providers.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prompt of a judged dataset: each model's answer scored by a judge (MT-Bench: GPT-4, 1 to 10)
 * rather than marked right or wrong.
 *
 * @param id unique within its dataset
 * @param prompt the text a router sees (MT-Bench: the first turn, as RouteLLM routes on it)
 * @param score by model id, the judge's mean score over the prompt's turns
 */
public record JudgedPrompt(String id, String prompt, Map<String, Double> score) {

  public JudgedPrompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    score = Collections.unmodifiableMap(new LinkedHashMap<>(score));
  }

  public double score(String model) {
    Double s = score.get(model);
    if (s == null) {
      throw new IllegalArgumentException("prompt " + id + " has no score for model '" + model + "'; it has " + score.keySet());
    }
    return s;
  }
}
