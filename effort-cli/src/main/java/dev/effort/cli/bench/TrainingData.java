package dev.effort.cli.bench;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Strategy;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.grading.Grade;
import dev.effort.providers.grading.RecordedLabelGrader;
import dev.effort.providers.replay.ReplayProvider;
import dev.effort.router.EscalationTraining;
import dev.effort.router.FeatureExtractor;
import dev.effort.router.ModelAnswers;
import dev.effort.router.PromptFeatures;
import dev.effort.router.TrainingSet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * What a router learns from: every candidate plan run on every recorded prompt through the
 * executor with the replay provider, graded by recorded correctness. Rows are the prompts of all
 * data sets in order; only the router's training rows are ever shown to a learner.
 *
 * @param set the training set for the router module
 * @param prompts the prompt of each row
 * @param dataset the data set index of each row
 * @param sha256 hash of the prompts and their outcomes, recorded in router files
 * @param answers each single-model candidate's answer to each prompt, for learning escalate plans
 */
public record TrainingData(TrainingSet set, List<RecordedPrompt> prompts, int[] dataset, String sha256, ModelAnswers answers) {

  /** Seed of fold assignments, fixed so that tune and bench figures are reproducible. */
  public static final long SEED = 20261128L;

  /** Features of each prompt computed once, shared by every router of a run. */
  public static Function<String, PromptFeatures> cachedFeatures() {
    FeatureExtractor extractor = FeatureExtractor.inProcess();
    Map<String, PromptFeatures> cache = new ConcurrentHashMap<>();
    return prompt -> cache.computeIfAbsent(prompt, extractor::extract);
  }

  /**
   * Every model that all data sets recorded, as a single call, then the ladder's cascades and
   * votes whose models are all among them.
   */
  public static List<Plan> candidates(List<RecordedDataset> datasets, Ladder ladder) {
    Set<String> common = commonModels(datasets);
    List<Plan> candidates = new ArrayList<>();
    common.forEach(m -> candidates.add(Plan.single(m)));
    for (Effort level : Effort.LEVELS) {
      Plan plan = ladder.plan(level);
      if (plan.strategy() != Strategy.SINGLE && common.containsAll(plan.models()) && !candidates.contains(plan)) {
        candidates.add(plan);
      }
    }
    return candidates;
  }

  /** The models every one of {@code datasets} recorded, in the first one's column order. */
  public static Set<String> commonModels(List<RecordedDataset> datasets) {
    Set<String> common = new LinkedHashSet<>(datasets.get(0).models());
    datasets.forEach(d -> common.retainAll(d.models()));
    return common;
  }

  /** Quality targets of the learned escalate plans, as shares of max's accuracy: one plan each. */
  public static final List<Double> ESCALATION_TARGETS = List.of(0.85, 0.88, 0.90, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 1.00, 1.02);

  /** Penalty of the escalation gates' logistic regressions; few signals, so a light one. */
  static final double ESCALATION_L2 = 1.0;

  /**
   * How escalate plans are learned for this ladder: the {@code high} cascade's probes as the
   * first stage, the {@code medium} cascade's escalation model as the middle stage, the {@code max}
   * model last (stages chosen from the ladder, not from the data); empty when the ladder has no
   * such cascades or the data lacks one of their models as a single candidate.
   */
  public static java.util.Optional<EscalationTraining> escalation(Ladder ladder, List<Plan> candidates) {
    Plan high = ladder.plan(Effort.HIGH);
    Plan medium = ladder.plan(Effort.MEDIUM);
    Plan max = ladder.plan(Effort.MAX);
    if (high.strategy() != Strategy.CASCADE || medium.strategy() != Strategy.CASCADE || max.strategy() != Strategy.SINGLE) {
      return java.util.Optional.empty();
    }
    List<List<String>> stages = List.of(high.probes().stream().map(dev.effort.core.Step::model).toList(),
        List.of(medium.escalation().model()), max.models());
    boolean recorded = stages.stream().flatMap(List::stream).allMatch(m -> candidates.contains(Plan.single(m)));
    boolean distinct = stages.stream().flatMap(List::stream).distinct().count() == stages.stream().mapToLong(List::size).sum();
    return recorded && distinct
        ? java.util.Optional.of(new EscalationTraining(stages, ESCALATION_TARGETS, ESCALATION_L2))
        : java.util.Optional.empty();
  }

  /**
   * The candidate quality targets are relative to: the ladder's {@code max} plan, or where the
   * data lacks its models, the single model with the highest list price (chosen without looking
   * at recorded correctness).
   */
  public static int reference(List<Plan> candidates, Ladder ladder, Catalog fleet) {
    int max = candidates.indexOf(ladder.plan(Effort.MAX));
    if (max >= 0) {
      return max;
    }
    int best = 0;
    for (int i = 1; i < candidates.size(); i++) {
      if (candidates.get(i).strategy() == Strategy.SINGLE && price(fleet, candidates.get(i)) > price(fleet, candidates.get(best))) {
        best = i;
      }
    }
    return best;
  }

  private static double price(Catalog fleet, Plan single) {
    var m = fleet.model(single.models().get(0));
    return m.inputUsdPerMillion() + m.outputUsdPerMillion();
  }

  public static TrainingData build(
      List<RecordedDataset> datasets,
      List<Plan> candidates,
      Catalog fleet,
      Function<String, PromptFeatures> features,
      Consumer<Integer> progress) {
    List<RecordedPrompt> prompts = new ArrayList<>();
    List<Integer> datasetOfRow = new ArrayList<>();
    for (int d = 0; d < datasets.size(); d++) {
      for (RecordedPrompt p : datasets.get(d).prompts()) {
        prompts.add(p);
        datasetOfRow.add(d);
      }
    }
    int n = prompts.size();
    int c = candidates.size();
    double[][] correct = new double[n][c];
    double[][] cost = new double[n][c];
    double[][] latency = new double[n][c];
    PromptFeatures[] feats = new PromptFeatures[n];
    List<String> singles = candidates.stream().filter(p -> p.strategy() == Strategy.SINGLE).map(p -> p.models().get(0)).toList();
    String[][] texts = new String[n][singles.size()];
    double[][] singleCorrect = new double[n][singles.size()];
    double[][] singleCost = new double[n][singles.size()];
    double[][] singleLatency = new double[n][singles.size()];
    var grader = new RecordedLabelGrader();
    List<Executor> executors = datasets.stream()
        .map(d -> {
          var replay = new ReplayProvider(List.of(d), fleet);
          return new Executor(model -> replay);
        })
        .toList();
    IntStream.range(0, n).parallel().forEach(i -> {
      RecordedPrompt p = prompts.get(i);
      feats[i] = features.apply(p.prompt());
      Executor executor = executors.get(datasetOfRow.get(i));
      for (int j = 0; j < c; j++) {
        Ask ask = Bench.ask(p, Effort.AUTO);
        Answer a = executor.execute(new PlannedAsk(ask, Effort.AUTO, candidates.get(j), List.of()));
        Grade g = grader.grade(p, a.model(), a.text());
        correct[i][j] = g == Grade.UNKNOWN ? Double.NaN : g == Grade.CORRECT ? 1 : 0;
        cost[i][j] = a.costUsd();
        latency[i][j] = a.latency().toNanos() / 1e6;
        int single = candidates.get(j).strategy() == Strategy.SINGLE ? singles.indexOf(candidates.get(j).models().get(0)) : -1;
        if (single >= 0) {
          texts[i][single] = a.text();
          singleCorrect[i][single] = correct[i][j];
          singleCost[i][single] = cost[i][j];
          singleLatency[i][single] = latency[i][j];
        }
      }
      progress.accept(Bench.FEATURES);
    });
    List<String> names = candidates.stream().map(Plan::describe).toList();
    TrainingSet set = new TrainingSet(names, List.of(feats), correct, cost, latency);
    return new TrainingData(set, List.copyOf(prompts), datasetOfRow.stream().mapToInt(Integer::intValue).toArray(),
        hash(prompts, names, correct, cost),
        new ModelAnswers(prompts.stream().map(RecordedPrompt::prompt).toList(), singles, texts, singleCorrect, singleCost,
            singleLatency));
  }

  /** The rows of data set {@code d}. */
  public int[] rowsOf(int d) {
    return IntStream.range(0, dataset.length).filter(i -> dataset[i] == d).toArray();
  }

  private static String hash(List<RecordedPrompt> prompts, List<String> candidates, double[][] correct, double[][] cost) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      candidates.forEach(name -> sha.update((name + "\n").getBytes(StandardCharsets.UTF_8)));
      ByteBuffer buf = ByteBuffer.allocate(16);
      for (int i = 0; i < prompts.size(); i++) {
        sha.update(prompts.get(i).prompt().getBytes(StandardCharsets.UTF_8));
        for (int j = 0; j < candidates.size(); j++) {
          buf.clear();
          buf.putDouble(correct[i][j]).putDouble(cost[i][j]);
          sha.update(buf.array());
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
