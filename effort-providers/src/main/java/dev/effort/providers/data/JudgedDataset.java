package dev.effort.providers.data;

import java.util.List;

/**
 * Prompts whose answers a judge scored, with every model's score on every prompt.
 *
 * @param name e.g. "mt-bench"
 * @param models model ids, in the order the data names them
 * @param prompts in the order of the data
 */
public record JudgedDataset(String name, List<String> models, List<JudgedPrompt> prompts) {

  public JudgedDataset {
    models = List.copyOf(models);
    prompts = List.copyOf(prompts);
  }
}
