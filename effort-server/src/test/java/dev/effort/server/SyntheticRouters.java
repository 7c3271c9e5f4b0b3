package dev.effort.server;

import dev.effort.core.AnswerFormat;
import dev.effort.core.Plan;
import dev.effort.router.KnnLearner;
import dev.effort.router.LearnedRouter;
import dev.effort.router.PromptFeatures;
import dev.effort.router.RouterTraining;
import dev.effort.router.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Routers trained (for real, by {@link RouterTraining}) on synthetic outcomes whose shape a test chooses. */
final class SyntheticRouters {
  private SyntheticRouters() {}

  /**
   * A kNN router over one single-call candidate per model, trained on 100 prompts: each model right
   * on the given share of them; the reference costing $0.005 and 900 ms a call, every other model
   * $0.0001 and 300 ms. Every prompt routed gets the first training prompt's features.
   */
  static LearnedRouter trained(Map<String, Double> successRate, String reference) {
    List<String> models = successRate.keySet().stream().sorted().toList();
    List<Plan> candidates = models.stream().map(Plan::single).toList();
    Random random = new Random(3);
    List<PromptFeatures> features = new ArrayList<>();
    int n = 100;
    double[][] correct = new double[n][models.size()];
    double[][] cost = new double[n][models.size()];
    double[][] latency = new double[n][models.size()];
    for (int i = 0; i < n; i++) {
      float[] e = new float[8];
      for (int d = 0; d < e.length; d++) {
        e[d] = (float) random.nextGaussian();
      }
      features.add(new PromptFeatures(e, 30, AnswerFormat.CHOICE));
      for (int m = 0; m < models.size(); m++) {
        correct[i][m] = i < Math.round(successRate.get(models.get(m)) * n) ? 1 : 0;
        cost[i][m] = models.get(m).equals(reference) ? 0.005 : 0.0001;
        latency[i][m] = models.get(m).equals(reference) ? 900 : 300;
      }
    }
    var data = new TrainingSet(candidates.stream().map(Plan::describe).toList(), features, correct, cost, latency);
    return RouterTraining.train(data, candidates, models.indexOf(reference), new KnnLearner(), 1,
        new LearnedRouter.Provenance("knn", "synthetic", "0".repeat(64), n, "2026-12-06T00:00:00Z"), prompt -> features.get(0));
  }
}
