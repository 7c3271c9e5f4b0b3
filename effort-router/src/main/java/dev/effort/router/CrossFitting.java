package dev.effort.router;

import dev.effort.core.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Honest evaluation of auto: the rows are split into folds, and each row is routed by a router
 * trained (and calibrated) on the other folds only. No row is ever routed by a router that saw it.
 *
 * @param fold the fold of each row
 * @param routers one router per fold, trained without that fold's rows
 */
public record CrossFitting(int[] fold, List<LearnedRouter> routers) {
  public static final int FOLDS = 5;

  public CrossFitting {
    routers = List.copyOf(routers);
  }

  public static CrossFitting run(
      TrainingSet data,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    return byFold(data.size(), seed, (train, foldSeed) ->
        RouterTraining.train(data.rows(train), candidates, reference, learner, foldSeed, provenance, features));
  }

  /** As {@link #run(TrainingSet, List, int, Learner, long, LearnedRouter.Provenance, Function)}, each fold's router with escalate plans learned from its training rows' answers only. */
  public static CrossFitting run(
      TrainingSet data,
      ModelAnswers answers,
      EscalationTraining escalation,
      List<Plan> candidates,
      int reference,
      Learner learner,
      long seed,
      LearnedRouter.Provenance provenance,
      Function<String, PromptFeatures> features) {
    return byFold(data.size(), seed, (train, foldSeed) -> RouterTraining.train(data.rows(train), answers.rows(train),
        escalation, candidates, reference, learner, foldSeed, provenance, features));
  }

  /** Splits {@code rows} into folds and trains one router per fold on the rows of every other fold. */
  private static CrossFitting byFold(int rows, long seed, java.util.function.BiFunction<int[], Long, LearnedRouter> trainOn) {
    int[] fold = Folds.assign(rows, FOLDS, seed);
    List<LearnedRouter> routers = new ArrayList<>();
    for (int k = 0; k < FOLDS; k++) {
      routers.add(trainOn.apply(RouterTraining.rowsWhere(fold, k, false), seed + k + 1));
    }
    return new CrossFitting(fold, routers);
  }

  /** The router for a row: trained on every fold but the row's own. */
  public LearnedRouter routerFor(int row) {
    return routers.get(fold[row]);
  }
}
