package dev.effort.router;

import java.util.List;
import java.util.Objects;

/**
 * Each model's recorded answer to each prompt: what an escalate plan's gates learn from. Rows
 * are prompts, columns models.
 *
 * @param texts the answer text; null when the model has none
 * @param correct 1.0 good, 0.0 not, NaN unknown
 * @param costUsd what the call cost
 * @param latencyMs how long it took
 */
public record ModelAnswers(
    List<String> prompts, List<String> models, String[][] texts, double[][] correct, double[][] costUsd,
    double[][] latencyMs) {

  public ModelAnswers {
    prompts = List.copyOf(prompts);
    models = List.copyOf(models);
    for (Object[] matrix : new Object[][] {texts, correct, costUsd, latencyMs}) {
      if (matrix.length != prompts.size()) {
        throw new IllegalArgumentException("every matrix needs one row per prompt (" + prompts.size() + ")");
      }
    }
  }

  public int size() {
    return prompts.size();
  }

  /** Column of {@code model}. */
  public int column(String model) {
    int c = models.indexOf(model);
    if (c < 0) {
      throw new IllegalArgumentException("no recorded answers of " + model + "; recorded: " + models);
    }
    return c;
  }

  /** The prompts at {@code indices}, in that order. */
  public ModelAnswers rows(int[] indices) {
    String[][] t = new String[indices.length][];
    double[][] y = new double[indices.length][];
    double[][] c = new double[indices.length][];
    double[][] l = new double[indices.length][];
    String[] p = new String[indices.length];
    for (int r = 0; r < indices.length; r++) {
      int i = Objects.checkIndex(indices[r], size());
      p[r] = prompts.get(i);
      t[r] = texts[i];
      y[r] = correct[i];
      c[r] = costUsd[i];
      l[r] = latencyMs[i];
    }
    return new ModelAnswers(List.of(p), models, t, y, c, l);
  }
}
