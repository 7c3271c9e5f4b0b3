package dev.effort.cli;

import dev.effort.cli.bench.TrainingData;
import dev.effort.core.Catalog;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.core.Planner;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.providers.replay.ReplayCatalog;
import dev.effort.router.LearnedRouter;
import dev.effort.router.Learner;
import dev.effort.router.LearnerComparison;
import dev.effort.router.Learners;
import dev.effort.router.RouterFile;
import dev.effort.router.RouterTraining;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the auto router and writes it to a router file.",
      "Trains on every prompt of the recorded data, calibrates the router's threshold by cross-validation and"
          + " writes a versioned router file (--out). --compare compares the learners instead."
    })
final class TuneCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Folder of RouterBench-format CSV files to train on (default: ../shared/data/routerbench).")
  Path data;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the router file.")
  Path out;

  @Option(names = "--learner", paramLabel = "NAME", defaultValue = RouterTraining.DEFAULT_LEARNER,
      description = "Learner of the router written to --out (default: ${DEFAULT-VALUE}).")
  String learner;

  @Option(names = "--models", paramLabel = "ID", split = ",",
      description = "Only candidate plans calling these models (the ones your providers serve), so that the router is"
          + " calibrated for them; default: every model of the data.")
  List<String> models;

  @Option(names = "--compare", description = "Compare every learner by cross-fitted routing and prediction metrics.")
  boolean compare;

  @Option(names = "--target", paramLabel = "SHARE", defaultValue = "1.0",
      description = "Quality target of the comparison, as a share of max's accuracy (default: ${DEFAULT-VALUE}).")
  double target;

  @Mixin LogOptions logs = new LogOptions();

  @Override
  public Integer call() throws Exception {
    logs.apply(java.util.Optional.empty(), java.util.Optional.empty(), "warn");
    if (out == null && !compare) {
      throw new CliException("say where to write the router with --out FILE (or compare learners with --compare)");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Learner chosen = Learners.byName(learner);
    Path dataDir = DataLocation.resolve(data);
    List<RecordedDataset> datasets = onlyModels(RouterBenchCsv.loadFolder(dataDir));
    Ladder ladder = Ladder.routerBench();
    Catalog fleet = ReplayCatalog.of(Catalog.builtIn(), datasets);
    List<Plan> candidates = TrainingData.candidates(datasets, ladder);
    int reference = TrainingData.reference(candidates, ladder, fleet);
    err.println("tune: embedding " + datasets.stream().mapToInt(d -> d.prompts().size()).sum()
        + " prompts and running " + candidates.size() + " candidate plans on each ...");
    err.flush();
    var features = TrainingData.cachedFeatures();
    TrainingData training = TrainingData.build(datasets, candidates, fleet, features, n -> {});

    if (compare) {
      printComparison(stdout, datasets, training, candidates, reference);
    }
    if (out != null) {
      var provenance = new LearnedRouter.Provenance(chosen.name(),
          dataDir + " (" + String.join(", ", datasets.stream().map(RecordedDataset::name).toList()) + ")",
          training.sha256(), training.prompts().size(), Instant.now().toString());
      var escalation = TrainingData.escalation(ladder, candidates);
      LearnedRouter router = escalation.isPresent()
          ? RouterTraining.train(training.set(), training.answers(), escalation.get(), candidates, reference, chosen,
              TrainingData.SEED, provenance, features)
          : RouterTraining.train(training.set(), candidates, reference, chosen, TrainingData.SEED, provenance, features);
      RouterFile.write(router, out);
      stdout.printf(Locale.ROOT, "wrote %s: %s; at the default target (%.2f of max's accuracy) a plan is taken when its"
          + " expected quality is at least %.3f x max's (the calibrated threshold)%n",
          out, router.describe(), Planner.DEFAULT_TARGET, router.threshold(Planner.DEFAULT_TARGET));
    }
    stdout.flush();
    return 0;
  }

  /** The data sets with only the --models columns, so that candidates call only those. */
  private List<RecordedDataset> onlyModels(List<RecordedDataset> datasets) {
    if (models == null) {
      return datasets;
    }
    java.util.Set<String> recorded = TrainingData.commonModels(datasets);
    List<String> unknown = models.stream().filter(m -> !recorded.contains(m)).toList();
    if (!unknown.isEmpty()) {
      throw new CliException("--models: " + String.join(", ", unknown) + " not recorded in every data set; the models"
          + " recorded are " + String.join(", ", recorded));
    }
    if (new java.util.HashSet<>(models).size() < 2) {
      throw new CliException("--models: give at least two models to route between");
    }
    return datasets.stream()
        .map(d -> new RecordedDataset(d.name(), d.task(), d.models().stream().filter(models::contains).toList(), d.prompts()))
        .toList();
  }

  private void printComparison(
      PrintWriter out, List<RecordedDataset> datasets, TrainingData training, List<Plan> candidates, int reference) {
    int groups = datasets.size();
    var results = LearnerComparison.compare(training.set(), candidates, reference, Learners.all(), target,
        TrainingData.SEED, training.dataset(), groups);
    double[] maxAcc = LearnerComparison.always(training.set(), reference, training.dataset(), groups, true);
    double[] maxCost = LearnerComparison.always(training.set(), reference, training.dataset(), groups, false);
    out.printf(Locale.ROOT, "Learners compared by cross-fitting (%d folds, seed %d) at target %.2f of max's accuracy;"
        + " prediction metrics are out of fold, over all %d candidates.%n", RouterTraining.FOLDS, TrainingData.SEED,
        target, candidates.size());
    List<String> header = new ArrayList<>(List.of("learner", "brier", "log loss", "roc auc"));
    datasets.forEach(d -> header.add(d.name() + " acc / $1k"));
    header.add("all acc / $1k");
    out.println(String.join(" | ", header));
    out.println(row("max (reference)", Double.NaN, Double.NaN, Double.NaN, maxAcc, maxCost));
    for (var r : results) {
      out.println(row(r.learner(), r.predictions().brier(), r.predictions().logLoss(), r.predictions().rocAuc(),
          r.accuracy(), r.costUsd()));
    }
    out.println();
  }

  private static String row(String name, double brier, double logLoss, double auc, double[] acc, double[] cost) {
    List<String> cells = new ArrayList<>(List.of(name, fmt(brier), fmt(logLoss), fmt(auc)));
    for (int g = 0; g < acc.length; g++) {
      cells.add(String.format(Locale.ROOT, "%.3f / %.2f", acc[g], cost[g] * 1000));
    }
    return String.join(" | ", cells);
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
