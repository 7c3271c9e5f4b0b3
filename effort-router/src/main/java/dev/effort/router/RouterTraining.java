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

  /** Prompts of one answer format needed for a calibration of its own. */
  static final int MIN_PROMPTS_PER_FORMAT = 100;

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
    var byFormat = new java.util.EnumMap<dev.effort.core.AnswerFormat, Calibration>(dev.effort.core.AnswerFormat.class);
    for (dev.effort.core.AnswerFormat f : dev.effort.core.AnswerFormat.values()) {
      int[] rows = java.util.stream.IntStream.range(0, data.size()).filter(i -> data.features().get(i).format() == f).toArray();
      // A format with few prompts would calibrate on noise: it keeps the calibration over all prompts.
      if (rows.length >= MIN_PROMPTS_PER_FORMAT && rows.length < data.size()) {
        byFormat.put(f, Calibration.measure(data.rows(rows), candidates, reference, pick(oof.quality(), rows),
            pick(oof.costUsd(), rows), pick(oof.latencyMs(), rows)));
      }
    }
    return new LearnedRouter(candidates, reference, learner.fit(data), NeighborCosts.fit(data), calibration, byFormat,
        provenance, features);
  }

  /**
   * As {@link #train(TrainingSet, List, int, Learner, long, LearnedRouter.Provenance, Function)},
   * with the escalate plans {@code escalation} learns from {@code answers} (the same prompts, in
   * the same order) added as candidates: their columns are their out-of-fold outcomes, so the
   * router learns when they pay off like any other plan.
   */
  public static LearnedRouter train(
      TrainingSet data,
      ModelAnswers answers,
      EscalationTraining escalation,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    if (answers.size() != data.size()) {
      throw new IllegalArgumentException("the answers hold " + answers.size() + " prompts, the training set " + data.size());
    }
    EscalationTraining.Result learned = escalation.train(answers, seed);
    List<Plan> all = new ArrayList<>(candidates);
    all.addAll(learned.plans());
    return train(withColumns(data, learned), all, reference, learner, seed, provenance, features);
  }

  /** The training set with one more candidate per learned plan. */
  static TrainingSet withColumns(TrainingSet data, EscalationTraining.Result learned) {
    List<String> names = new ArrayList<>(data.candidates());
    learned.plans().forEach(p -> names.add(p.describe()));
    return new TrainingSet(names, data.features(), append(data.correct(), learned.correct()),
        append(data.costUsd(), learned.costUsd()), append(data.latencyMs(), learned.latencyMs()));
  }

  private static double[][] append(double[][] a, double[][] b) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = java.util.Arrays.copyOf(a[i], a[i].length + b[i].length);
      System.arraycopy(b[i], 0, out[i], a[i].length, b[i].length);
    }
    return out;
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

  private static double[][] pick(double[][] m, int[] rows) {
    return java.util.Arrays.stream(rows).mapToObj(i -> m[i]).toArray(double[][]::new);
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
