package dev.effort.cli.bench;

import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.router.CrossFitting;
import dev.effort.router.LearnedRouter;
import dev.effort.router.Learner;
import dev.effort.router.PromptFeatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which router routes each prompt of a bench run for the auto rows: one router file for all
 * prompts, or cross-fitting, where each prompt is routed by a router trained on the other folds.
 *
 * @param routers per data set, the router of each prompt; null for a data set auto cannot run on
 * @param notMeasured per data set, why auto cannot run on it, or null
 * @param method one sentence on how auto was evaluated
 * @param crossFitted whether the routers were cross-fitted on the data (its features then computed already)
 */
record AutoRouting(List<LearnedRouter[]> routers, List<String> notMeasured, String method, boolean crossFitted) {

  static AutoRouting fromFile(LearnedRouter router, String file, List<RecordedDataset> datasets, Function<String, PromptFeatures> features) {
    LearnedRouter shared = router.withFeatures(features);
    List<LearnedRouter[]> routers = new ArrayList<>();
    List<String> notMeasured = new ArrayList<>();
    for (RecordedDataset d : datasets) {
      try {
        // Candidates needing a model the data lacks are skipped; the reference must be there.
        LearnedRouter usable = shared.restrictedTo(new java.util.HashSet<>(d.models()));
        LearnedRouter[] perPrompt = new LearnedRouter[d.prompts().size()];
        java.util.Arrays.fill(perPrompt, usable);
        routers.add(perPrompt);
        notMeasured.add(null);
      } catch (IllegalArgumentException e) {
        routers.add(null);
        notMeasured.add("not measured: " + e.getMessage());
      }
    }
    return new AutoRouting(routers, notMeasured, "router file " + file + ": " + router.describe(), false);
  }

  /**
   * @param alsoTrainOn data every fold's router also learns from (see {@link #learnable}); never
   *     routed, never in the figures
   */
  static AutoRouting crossFitted(
      List<RecordedDataset> datasets, List<RecordedDataset> alsoTrainOn, Ladder ladder, Catalog fleet, Learner learner,
      Function<String, PromptFeatures> features, Consumer<Integer> progress) {
    List<Plan> candidates = TrainingData.candidates(datasets, ladder);
    int reference = TrainingData.reference(candidates, ladder, fleet);
    int evaluated = datasets.stream().mapToInt(d -> d.prompts().size()).sum();
    List<RecordedDataset> all = new ArrayList<>(datasets);
    all.addAll(alsoTrainOn);
    TrainingData data = TrainingData.build(all, candidates, fleet, features, progress);
    var provenance = new LearnedRouter.Provenance(learner.name(),
        String.join(", ", all.stream().map(RecordedDataset::name).toList()) + " (cross-fitting fold)",
        data.sha256(), data.prompts().size(), Instant.now().toString());
    var escalation = TrainingData.escalation(ladder, candidates);
    CrossFitting cf = escalation.isPresent()
        ? CrossFitting.run(data.set(), evaluated, data.answers(), escalation.get(), candidates, reference, learner,
            TrainingData.SEED, provenance, features)
        : CrossFitting.run(data.set(), evaluated, candidates, reference, learner, TrainingData.SEED, provenance, features);
    progress.accept(data.prompts().size() * Bench.CROSS_FIT);
    List<LearnedRouter[]> routers = new ArrayList<>();
    List<String> notMeasured = new ArrayList<>();
    for (int d = 0; d < datasets.size(); d++) {
      int[] rows = data.rowsOf(d);
      LearnedRouter[] perPrompt = new LearnedRouter[rows.length];
      for (int i = 0; i < rows.length; i++) {
        perPrompt[i] = cf.routerFor(rows[i]);
      }
      routers.add(perPrompt);
      notMeasured.add(null);
    }
    int extra = data.prompts().size() - evaluated;
    return new AutoRouting(routers, notMeasured, String.format(
        "cross-fitted: the %d prompts of all data sets split into %d folds (seed %d); each prompt routed by a %s"
            + " router trained and calibrated on the other folds only%s, over %d candidate plans%s",
        evaluated, CrossFitting.FOLDS, TrainingData.SEED, learner.name(),
        extra == 0 ? "" : " and on " + extra + " prompts of " + String.join(", ", alsoTrainOn.stream().map(RecordedDataset::name).toList())
            + " (--train-also; none of them a prompt evaluated here)",
        cf.routers().get(0).candidates().size(),
        escalation.map(e -> " (" + e.targets().size() + " of them escalate plans learned on those folds' recorded answers)")
            .orElse("")), true);
  }

  /**
   * The part of {@code other} a cross-fitted router may also learn from: data sets that recorded
   * every model the evaluated ones share, without any prompt whose text is a prompt evaluated (so
   * that no router ever sees the recorded outcome of a prompt it routes); data sets left empty are
   * dropped.
   */
  static List<RecordedDataset> learnable(List<RecordedDataset> other, List<RecordedDataset> evaluated) {
    java.util.Set<String> shared = TrainingData.commonModels(evaluated);
    java.util.Set<String> evaluatedPrompts = new java.util.HashSet<>();
    evaluated.forEach(d -> d.prompts().forEach(p -> evaluatedPrompts.add(p.prompt())));
    return other.stream()
        .filter(d -> d.models().containsAll(shared))
        .map(d -> new RecordedDataset(d.name(), d.task(), d.models(),
            d.prompts().stream().filter(p -> !evaluatedPrompts.contains(p.prompt())).toList()))
        .filter(d -> !d.prompts().isEmpty())
        .toList();
  }

  Optional<LearnedRouter[]> forDataset(int d) {
    return Optional.ofNullable(routers.get(d));
  }
}
