package dev.effort.router;

import dev.effort.core.Estimate;
import dev.effort.core.Plan;
import dev.effort.core.RouteChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares learners the one way that matters: cross-fitted routing at a quality target (accuracy
 * and cost of what each prompt was routed to), plus how well calibrated their out-of-fold
 * predictions are.
 */
public final class LearnerComparison {
  private LearnerComparison() {}

  /**
   * One learner's figures.
   *
   * @param learner learner name
   * @param predictions out-of-fold prediction metrics over every candidate
   * @param accuracy cross-fitted routed accuracy, per group of rows (e.g. data set), then overall last
   * @param costUsd cross-fitted routed mean cost, per group, then overall last
   */
  public record Result(String learner, PredictionMetrics predictions, double[] accuracy, double[] costUsd) {}

  /**
   * @param group the group of each row (0 .. groups-1), reported separately
   */
  public static List<Result> compare(
      TrainingSet data, List<Plan> candidates, int reference, List<Learner> learners, double target,
      long seed, int[] group, int groups) {
    List<Result> results = new ArrayList<>();
    for (Learner learner : learners) {
      var oof = RouterTraining.outOfFold(data, learner, RouterTraining.FOLDS, seed);
      PredictionMetrics metrics = PredictionMetrics.of(oof.quality(), data.correct());
      var provenance = new LearnedRouter.Provenance(learner.name(), "comparison", "", data.size(), "");
      Function<String, PromptFeatures> noText = prompt -> {
        throw new IllegalStateException("the comparison routes by features");
      };
      CrossFitting cf = CrossFitting.run(data, data.size(), candidates, reference, learner, seed, provenance, noText);
      int[] chosen = new int[data.size()];
      for (int i = 0; i < data.size(); i++) {
        LearnedRouter router = cf.routerFor(i);
        List<Estimate> estimates = router.estimate(data.features().get(i));
        Estimate pick = RouteChoice.choose(estimates, router.reference(), router.threshold(target),
            Optional.empty(), Optional.empty()).chosen();
        chosen[i] = estimates.indexOf(pick);
      }
      results.add(new Result(learner.name(), metrics, byGroup(data, chosen, group, groups, true),
          byGroup(data, chosen, group, groups, false)));
    }
    return results;
  }

  /** Accuracy (or mean cost) of always taking one candidate, per group then overall. */
  public static double[] always(TrainingSet data, int candidate, int[] group, int groups, boolean accuracy) {
    int[] chosen = new int[data.size()];
    java.util.Arrays.fill(chosen, candidate);
    return byGroup(data, chosen, group, groups, accuracy);
  }

  private static double[] byGroup(TrainingSet data, int[] chosen, int[] group, int groups, boolean accuracy) {
    double[] out = new double[groups + 1];
    for (int g = 0; g <= groups; g++) {
      final int gg = g;
      int[] rows = java.util.stream.IntStream.range(0, data.size()).filter(i -> gg == groups || group[i] == gg).toArray();
      TrainingSet part = data.rows(rows);
      int[] picks = java.util.Arrays.stream(rows).map(i -> chosen[i]).toArray();
      out[g] = accuracy ? Calibration.accuracy(part, picks) : Calibration.meanCost(part, picks);
    }
    return out;
  }
}
