package dev.effort.router;

import dev.effort.core.AnswerFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small made-up training sets with a known answer, for learner tests. */
final class Synthetic {
  static final int DIMENSIONS = 8;

  private Synthetic() {}

  /** A prompt near axis {@code cluster} (0 or 1) of the embedding space. */
  static PromptFeatures prompt(int cluster, Random random) {
    float[] e = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      e[d] = (float) (0.15 * random.nextGaussian());
    }
    e[cluster] += 1;
    return new PromptFeatures(e, 100 + random.nextInt(50), AnswerFormat.CHOICE);
  }

  /**
   * {@code perCluster} prompts in each of two clusters; candidate "a" is good on cluster 0 only,
   * candidate "b" is good on both.
   */
  static TrainingSet twoClusters(int perCluster, long seed) {
    Random random = new Random(seed);
    List<PromptFeatures> features = new ArrayList<>();
    List<double[]> correct = new ArrayList<>();
    for (int i = 0; i < 2 * perCluster; i++) {
      int cluster = i % 2;
      features.add(prompt(cluster, random));
      correct.add(new double[] {cluster == 0 ? 1 : 0, 1});
    }
    return withLabels(List.of("a", "b"), features, correct.toArray(double[][]::new));
  }

  static TrainingSet withLabels(List<String> candidates, List<PromptFeatures> features, double[][] correct) {
    return new TrainingSet(candidates, features, correct, filled(correct, 0.001), filled(correct, 500));
  }

  static double[][] filled(double[][] shape, double value) {
    double[][] m = new double[shape.length][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new double[shape[i].length];
      Arrays.fill(m[i], value);
    }
    return m;
  }
}
