package dev.effort.router;

import dev.effort.core.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Honest evaluation of auto: the rows are split into folds, and each row is routed by a router
 * trained (and calibrated) on the other folds only. No row is ever routed by a router that saw it.
 * Rows past the evaluated ones (other data to learn from) are in every fold's training and routed
 * by none.
 *
 * @param fold the fold of each row; -1 for a row that is only trained on
 * @param routers one router per fold, trained without that fold's rows
 */
public record CrossFitting(int[] fold, List<LearnedRouter> routers) {
  public static final int FOLDS = 5;

  public CrossFitting {
    routers = List.copyOf(routers);
  }

  /**
   * Cross-fits routers of {@code learner}: the first {@code evaluated} rows of {@code data} split
   * into folds, each fold's router trained on the other folds and on the rows past the evaluated.
   */
  public static CrossFitting run(
      TrainingSet data,
      int evaluated,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    return byFold(data.size(), evaluated, seed, (train, foldSeed) ->
        RouterTraining.train(data.rows(train), candidates, reference, learner, foldSeed, provenance, features));
  }

  /**
   * As {@link #run(TrainingSet, int, List, int, Learner, long, LearnedRouter.Provenance, Function)}, each
   * fold's router with escalate plans learned from its training rows' answers only.
   */
  public static CrossFitting run(
      TrainingSet data,
      int evaluated,
      ModelAnswers answers,
      EscalationTraining escalation,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    return byFold(data.size(), evaluated, seed, (train, foldSeed) -> RouterTraining.train(data.rows(train), answers.rows(train),
        escalation, candidates, reference, learner, foldSeed, provenance, features));
  }

  /**
   * Splits the first {@code evaluated} of {@code rows} into folds and trains one router per fold on
   * the rows of every other fold and the rows past them.
   */
  private static CrossFitting byFold(int rows, int evaluated, long seed,
      java.util.function.BiFunction<int[], Long, LearnedRouter> trainOn) {
    if (evaluated < 0 || evaluated > rows) {
      throw new IllegalArgumentException(evaluated + " evaluated rows of " + rows);
    }
    int[] fold = java.util.Arrays.copyOf(Folds.assign(evaluated, FOLDS, seed), rows);
    java.util.Arrays.fill(fold, evaluated, rows, -1);
    List<LearnedRouter> routers = new ArrayList<>();
    for (int k = 0; k < FOLDS; k++) {
      routers.add(trainOn.apply(RouterTraining.rowsWhere(fold, k, false), seed + k + 1));
    }
    return new CrossFitting(fold, routers);
  }

  /** The router for a row: trained on every fold but the row's own. */
  public LearnedRouter routerFor(int row) {
    if (fold[row] < 0) {
      throw new IllegalArgumentException("row " + row + " is only trained on; no router is fitted without it");
    }
    return routers.get(fold[row]);
  }
}
