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

  static AutoRouting crossFitted(
      List<RecordedDataset> datasets, Ladder ladder, Catalog fleet, Learner learner,
      Function<String, PromptFeatures> features, Consumer<Integer> progress) {
    List<Plan> candidates = TrainingData.candidates(datasets, ladder);
    int reference = TrainingData.reference(candidates, ladder, fleet);
    TrainingData data = TrainingData.build(datasets, candidates, fleet, features, progress);
    var provenance = new LearnedRouter.Provenance(learner.name(),
        String.join(", ", datasets.stream().map(RecordedDataset::name).toList()) + " (cross-fitting fold)",
        data.sha256(), data.prompts().size(), Instant.now().toString());
    var escalation = TrainingData.escalation(ladder, candidates);
    CrossFitting cf = escalation.isPresent()
        ? CrossFitting.run(data.set(), data.answers(), escalation.get(), candidates, reference, learner, TrainingData.SEED,
            provenance, features)
        : CrossFitting.run(data.set(), candidates, reference, learner, TrainingData.SEED, provenance, features);
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
    return new AutoRouting(routers, notMeasured, String.format(
        "cross-fitted: the %d prompts of all data sets split into %d folds (seed %d); each prompt routed by a %s"
            + " router trained and calibrated on the other folds only, over %d candidate plans%s",
        data.prompts().size(), CrossFitting.FOLDS, TrainingData.SEED, learner.name(), cf.routers().get(0).candidates().size(),
        escalation.map(e -> " (" + e.targets().size() + " of them escalate plans learned on those folds' recorded answers)")
            .orElse("")), true);
  }

  Optional<LearnedRouter[]> forDataset(int d) {
    return Optional.ofNullable(routers.get(d));
  }
}
