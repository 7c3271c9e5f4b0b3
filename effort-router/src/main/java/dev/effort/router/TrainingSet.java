package dev.effort.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Recorded outcomes to learn from. Rows are prompts, columns candidates.
 *
 * @param candidates candidate plans, named by {@code Plan.describe()}
 * @param features one per prompt
 * @param correct 1.0 good answer, 0.0 not, NaN unknown (left out, not counted as wrong)
 * @param costUsd cost of running the candidate on the prompt; NaN unknown
 * @param latencyMs total latency; NaN unknown
 */
public record TrainingSet(
    List<String> candidates, List<PromptFeatures> features,
    double[][] correct, double[][] costUsd, double[][] latencyMs) {

  public TrainingSet {
    candidates = List.copyOf(candidates);
    features = List.copyOf(features);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a training set needs at least one candidate");
    }
    if (new HashSet<>(candidates).size() != candidates.size()) {
      throw new IllegalArgumentException("candidate names must be unique, got " + candidates);
    }
    long dimensions = features.stream().mapToInt(f -> f.embedding().length).distinct().count();
    if (dimensions > 1) {
      throw new IllegalArgumentException("every prompt's embedding must have the same number of dimensions");
    }
    int rows = features.size();
    checkShape("correct", correct, rows, candidates.size());
    checkShape("costUsd", costUsd, rows, candidates.size());
    checkShape("latencyMs", latencyMs, rows, candidates.size());
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < candidates.size(); j++) {
        double y = correct[i][j];
        if (!(y == 0.0 || y == 1.0 || Double.isNaN(y))) {
          throw new IllegalArgumentException("correct[" + i + "][" + j + "] is " + y
              + "; accepted: 1.0 (good), 0.0 (not good), NaN (unknown)");
        }
        checkAmount("costUsd", costUsd[i][j], i, j);
        checkAmount("latencyMs", latencyMs[i][j], i, j);
      }
    }
  }

  /** Number of prompts. */
  public int size() {
    return features.size();
  }

  /** The prompts at {@code indices}, in that order (repeats allowed). */
  public TrainingSet rows(int[] indices) {
    List<PromptFeatures> f = new ArrayList<>(indices.length);
    double[][] y = new double[indices.length][];
    double[][] c = new double[indices.length][];
    double[][] l = new double[indices.length][];
    for (int r = 0; r < indices.length; r++) {
      int i = Objects.checkIndex(indices[r], size());
      f.add(features.get(i));
      y[r] = correct[i].clone();
      c[r] = costUsd[i].clone();
      l[r] = latencyMs[i].clone();
    }
    return new TrainingSet(candidates, f, y, c, l);
  }

  private static void checkShape(String name, double[][] matrix, int rows, int columns) {
    Objects.requireNonNull(matrix, name);
    if (matrix.length != rows) {
      throw new IllegalArgumentException(name + " has " + matrix.length + " rows, expected one per prompt (" + rows + ")");
    }
    for (int i = 0; i < rows; i++) {
      if (matrix[i] == null || matrix[i].length != columns) {
        throw new IllegalArgumentException(name + "[" + i + "] has "
            + (matrix[i] == null ? "no" : matrix[i].length) + " columns, expected one per candidate (" + columns + ")");
      }
    }
  }

  private static void checkAmount(String name, double value, int i, int j) {
    if (!(Double.isNaN(value) || (value >= 0 && value < Double.POSITIVE_INFINITY))) {
      throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is " + value
          + "; expected a non-negative number, or NaN when unknown");
    }
  }
}
