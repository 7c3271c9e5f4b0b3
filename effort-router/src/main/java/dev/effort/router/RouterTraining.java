package dev.effort.router;

import dev.effort.core.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Trains a router: out-of-fold predictions by k-fold cross-validation calibrate the threshold,
 * then the quality and cost models are fit on all the data.
 */
public final class RouterTraining {
  /** The learner shipped as default: the best of {@code effort tune --compare} on RouterBench. */
  public static final String DEFAULT_LEARNER = "knn";

  /** Folds of the calibration's cross-validation. */
  public static final int FOLDS = 5;

  private RouterTraining() {}

  public static LearnedRouter train(
      TrainingSet data,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    requireCandidates(data, candidates);
    OutOfFold oof = outOfFold(data, learner, FOLDS, seed);
    Calibration calibration = Calibration.measure(data, candidates, reference, oof.quality(), oof.costUsd(), oof.latencyMs());
    return new LearnedRouter(candidates, reference, learner.fit(data), NeighborCosts.fit(data), calibration, provenance, features);
  }

  /** Predictions for every row by models that did not see it. */
  public record OutOfFold(double[][] quality, double[][] costUsd, double[][] latencyMs, int[] fold) {}

  public static OutOfFold outOfFold(TrainingSet data, Learner learner, int folds, long seed) {
    int n = data.size();
    int[] fold = Folds.assign(n, folds, seed);
    double[][] quality = new double[n][];
    double[][] cost = new double[n][];
    double[][] latency = new double[n][];
    for (int k = 0; k < folds; k++) {
      int[] train = rowsWhere(fold, k, false);
      int[] held = rowsWhere(fold, k, true);
      TrainingSet part = data.rows(train);
      QualityModel q = learner.fit(part);
      NeighborCosts c = NeighborCosts.fit(part);
      for (int i : held) {
        PromptFeatures f = data.features().get(i);
        quality[i] = q.predict(f);
        cost[i] = c.costUsd(f);
        latency[i] = c.latencyMs(f);
      }
    }
    return new OutOfFold(quality, cost, latency, fold);
  }

  static int[] rowsWhere(int[] fold, int k, boolean inFold) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == k) == inFold) {
        rows.add(i);
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void requireCandidates(TrainingSet data, List<Plan> candidates) {
    List<String> names = candidates.stream().map(Plan::describe).toList();
    if (!names.equals(data.candidates())) {
      throw new IllegalArgumentException("the training set's candidates " + data.candidates()
          + " are not the router's " + names);
    }
  }
}
