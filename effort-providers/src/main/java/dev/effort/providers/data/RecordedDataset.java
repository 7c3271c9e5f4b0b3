package dev.effort.providers.data;

import java.util.List;
import java.util.Objects;

/**
 * A file (or folder) of recorded outcomes.
 *
 * @param name e.g. {@code arc_challenge_train} (the file name without ".csv"), {@code mmlu}
 * @param task what the prompts test, e.g. {@code arc-challenge}, {@code mmlu}, {@code gsm8k}
 * @param models the model ids with outcomes, in column order
 */
public record RecordedDataset(
    String name, String task, List<String> models, List<RecordedPrompt> prompts) {

  public RecordedDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    models = List.copyOf(models);
    prompts = List.copyOf(prompts);
  }
}
