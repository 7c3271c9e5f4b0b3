package dev.effort.cli.bench;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.grading.Grade;
import dev.effort.providers.grading.Grader;
import dev.effort.providers.grading.RecordedLabelGrader;
import dev.effort.providers.replay.ReplayCatalog;
import dev.effort.providers.replay.ReplayProvider;
import dev.effort.router.LearnedRouter;
import dev.effort.router.Learner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Measures every fixed level, every single model, the oracle and auto on recorded data sets,
 * through the same {@link Planner} and {@link Executor} that serving uses, with the replay
 * provider. Answers are graded by the recorded correctness of the model whose text was returned.
 */
public final class Bench {
  static final String METHOD =
      "Each prompt is sent through the Planner and Executor with the replay provider, which serves the"
          + " recorded answer of each model; an answer is graded by the recorded correctness of the model"
          + " whose text was returned (prompts with an empty correctness cell are not graded); cost is the"
          + " recorded total_cost, or catalog prices times counted tokens where none is recorded; latency is"
          + " modeled from catalog priors (time to first token + output tokens / output speed; parallel"
          + " steps count the slowest, sequential steps add up).";

  /** Quality targets of the auto rows, as shares of max's accuracy; 1.0 is the default. */
  public static final List<Double> AUTO_TARGETS = TrainingData.ESCALATION_TARGETS;

  /** How auto is evaluated: not at all, with a router file, or by cross-fitting a learner. */
  public sealed interface Auto {
    record Off() implements Auto {}

    record FromFile(LearnedRouter router, String file) implements Auto {}

    /** @param alsoTrainOn other recorded data each fold's router also learns from (see {@link AutoRouting#learnable}) */
    record CrossFitted(Learner learner, List<RecordedDataset> alsoTrainOn) implements Auto {
      public CrossFitted(Learner learner) {
        this(learner, List.of());
      }

      public CrossFitted {
        alsoTrainOn = List.copyOf(alsoTrainOn);
      }

      /** Also learning from what of {@code other} may be learned from when {@code evaluated} is benched. */
      public static CrossFitted alsoLearningFrom(Learner learner, List<RecordedDataset> other, List<RecordedDataset> evaluated) {
        return new CrossFitted(learner, AutoRouting.learnable(other, evaluated));
      }
    }
  }

  private final Ladder ladder;
  private final Catalog catalog;
  private final Grader grader = new RecordedLabelGrader();

  public Bench(Ladder ladder, Catalog catalog) {
    this.ladder = ladder;
    this.catalog = catalog;
  }

  /** How many units of work {@link #run} reports for these data sets, for a progress bar. */
  /*
   * Units of work of the progress bar, weighted by how long each takes (measured on 2 cores: a
   * replayed ask about 0.15 ms, embedding a prompt and replaying its candidates about 12 ms, the
   * cross-fitting about 10 ms a prompt, loading the embedding model some seconds), so that its time
   * estimate is right from the first seconds instead of extrapolating the fast replays' pace (or
   * the slow embeddings') over the whole run.
   */
  /** One replayed ask of a level or a model. */
  static final int ASK = 1;
  /** One ask routed by auto (the router's decision on ready features, then the replay). */
  static final int AUTO_ASK = 2;
  /** Embedding one prompt (and, when cross-fitting, replaying its candidate plans). */
  static final int FEATURES = 80;
  /** Training and calibrating the cross-fitted routers, per prompt. */
  static final int CROSS_FIT = 70;
  /** Loading the embedding model. */
  static final int WARM_UP = 40_000;

  public static long workOf(List<RecordedDataset> datasets, Auto auto) {
    long work = auto instanceof Auto.Off ? 0 : WARM_UP;
    for (RecordedDataset d : datasets) {
      long n = d.prompts().size();
      work += n * (Effort.LEVELS.size() + d.models().size()) * ASK;
      if (!(auto instanceof Auto.Off)) {
        work += n * AUTO_TARGETS.size() * AUTO_ASK + n * FEATURES;
      }
      if (auto instanceof Auto.CrossFitted) {
        work += n * CROSS_FIT;
      }
    }
    if (auto instanceof Auto.CrossFitted cf) {
      for (RecordedDataset d : cf.alsoTrainOn()) {
        work += d.prompts().size() * (long) (FEATURES + CROSS_FIT);
      }
    }
    return work;
  }

  /** Models of the data that the catalog does not know; they run on a default prior. */
  public List<String> modelsWithoutPrior(List<RecordedDataset> datasets) {
    return ReplayCatalog.modelsWithoutPrior(catalog, datasets);
  }

  public BenchReport run(String dataDir, List<RecordedDataset> datasets, Consumer<Integer> progress) {
    return run(dataDir, datasets, new Auto.Off(), progress);
  }

  public BenchReport run(String dataDir, List<RecordedDataset> datasets, Auto auto, Consumer<Integer> progress) {
    Catalog fleet = ReplayCatalog.of(catalog, datasets);
    Optional<AutoRouting> routing = switch (auto) {
      case Auto.Off off -> Optional.empty();
      case Auto.FromFile file -> Optional.of(AutoRouting.fromFile(file.router(), file.file(), datasets,
          warmedUp(TrainingData.cachedFeatures(), datasets, progress)));
      case Auto.CrossFitted cf -> Optional.of(AutoRouting.crossFitted(datasets, cf.alsoTrainOn(), ladder, fleet, cf.learner(),
          warmedUp(TrainingData.cachedFeatures(), datasets, progress), progress));
    };
    List<DatasetResult> results = new ArrayList<>();
    for (int d = 0; d < datasets.size(); d++) {
      results.add(run(datasets.get(d), fleet, routing, d, progress));
    }
    String method = METHOD + routing.map(r -> " Auto: " + r.method() + ".").orElse("");
    return new BenchReport(dataDir, ladder.fleet(), method, results);
  }

  /** The embedding model loaded (by embedding a first prompt), as the progress bar counts it. */
  private static java.util.function.Function<String, dev.effort.router.PromptFeatures> warmedUp(
      java.util.function.Function<String, dev.effort.router.PromptFeatures> features, List<RecordedDataset> datasets,
      Consumer<Integer> progress) {
    datasets.stream().flatMap(d -> d.prompts().stream()).findFirst().ifPresent(p -> features.apply(p.prompt()));
    progress.accept(WARM_UP);
    return features;
  }

  private DatasetResult run(RecordedDataset data, Catalog fleet, Optional<AutoRouting> routing, int index, Consumer<Integer> progress) {
    var replay = new ReplayProvider(List.of(data), fleet);
    var executor = new Executor(model -> replay);
    var planner = new Planner(ladder, fleet, Effort.HIGH);
    List<BenchRow> rows = new ArrayList<>();

    for (Effort level : Effort.LEVELS) {
      Plan plan = ladder.plan(level);
      List<String> missing = plan.models().stream().filter(m -> !data.models().contains(m)).toList();
      if (!missing.isEmpty()) {
        rows.add(unmeasured(level.wireName(), "level", plan.describe(),
            "not measured: the data has no recorded answers of " + String.join(", ", missing), null));
        progress.accept(data.prompts().size());
        continue;
      }
      Answer[] answers = runAll(data, (prompt, i) -> planner.plan(ask(prompt, level)), executor, progress);
      rows.add(measure(level.wireName(), "level", plan.describe(), data, answers, null));
    }

    // Keep each single model's answers: the oracle picks among them.
    List<Answer[]> byModel = new ArrayList<>();
    for (String model : data.models()) {
      Answer[] answers = runAll(data, (prompt, i) -> planner.plan(ask(prompt, Effort.HIGH).withModel(model)), executor, progress);
      byModel.add(answers);
      rows.add(measure(model, "model", Plan.single(model).describe(), data, answers, null));
    }
    rows.add(oracle(data, byModel));

    if (routing.isEmpty()) {
      rows.add(unmeasured("auto", "auto", "router", "auto: not evaluated in this run", null));
      return new DatasetResult(data.name(), data.prompts().size(), rows);
    }
    Optional<LearnedRouter[]> routers = routing.get().forDataset(index);
    if (routers.isEmpty()) {
      rows.add(unmeasured("auto", "auto", "router", routing.get().notMeasured().get(index), 1.0));
      progress.accept(data.prompts().size() * (AUTO_TARGETS.size() * AUTO_ASK + (routing.get().crossFitted() ? 0 : FEATURES)));
      return new DatasetResult(data.name(), data.prompts().size(), rows);
    }
    List<BenchRow> autoRows = new ArrayList<>();
    for (double target : AUTO_TARGETS) {
      Map<LearnedRouter, Planner> planners = new IdentityHashMap<>();
      for (LearnedRouter r : routers.get()) {
        planners.computeIfAbsent(r, key -> new Planner(ladder, fleet, Effort.HIGH, Optional.of(key), target));
      }
      LearnedRouter[] byPrompt = routers.get();
      int work = AUTO_ASK + (target == AUTO_TARGETS.get(0) && !routing.get().crossFitted() ? FEATURES : 0);
      Answer[] answers = runAll(data, (prompt, i) -> planners.get(byPrompt[i]).plan(ask(prompt, Effort.AUTO)), executor,
          n -> progress.accept(n * work));
      BenchRow row = measure(autoName(target), "auto", "auto: " + plansChosen(answers), data, answers, target);
      autoRows.add(row);
    }
    rows.addAll(autoRows);
    rows.addAll(escalationRows(data, routers.get(), executor));
    rows.addAll(randomRows(rows, autoRows));
    return new DatasetResult(data.name(), data.prompts().size(), rows, Frontier.of(rows));
  }

  /**
   * Each learned escalate plan of the routers run alone on every prompt (its own fold's plan when
   * cross-fitted); a target only where every router has its plan (a fold drops a plan dominated by max).
   */
  private List<BenchRow> escalationRows(RecordedDataset data, LearnedRouter[] byPrompt, Executor executor) {
    List<BenchRow> out = new ArrayList<>();
    List<String> targets = escalatePlans(byPrompt[0]).keySet().stream()
        .filter(t -> Arrays.stream(byPrompt).allMatch(r -> escalatePlans(r).containsKey(t)))
        .toList();
    for (String target : targets) {
      Answer[] answers = runAll(data, (prompt, i) -> new PlannedAsk(ask(prompt, Effort.AUTO), Effort.AUTO,
          escalatePlans(byPrompt[i]).get(target), List.of()), executor, n -> {});
      out.add(measure("escalate@" + target.replace(" x max", ""), "escalate",
          escalatePlans(byPrompt[0]).get(target).describe(), data, answers, null));
    }
    return out;
  }

  /** A router's escalate plans by what they were calibrated for, in candidate order. */
  private static Map<String, Plan> escalatePlans(LearnedRouter router) {
    Map<String, Plan> plans = new java.util.LinkedHashMap<>();
    router.candidates().stream().filter(p -> p.strategy() == dev.effort.core.Strategy.ESCALATE)
        .forEach(p -> plans.put(p.learned().orElseThrow().calibratedFor(), p));
    return plans;
  }

  static String autoName(double target) {
    return target == 1.0 ? "auto" : String.format(Locale.ROOT, "auto@%.2f", target);
  }

  /** How often each plan was chosen, most often first, e.g. "62% single(a), 30% cascade(...)". */
  private static String plansChosen(Answer[] answers) {
    return plansChosen(java.util.Arrays.stream(answers).map(a -> a.trace().plan().describe()).toList());
  }

  /** "60% single(a), 40% single(b)": the share of each plan auto chose, most chosen first. */
  static String plansChosen(List<String> plans) {
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (String plan : plans) {
      counts.merge(plan, 1, Integer::sum);
    }
    return String.join(", ", counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .map(e -> Math.round(100.0 * e.getValue() / plans.size()) + "% " + e.getKey())
        .toList());
  }

  /**
   * The random baseline at each auto row's cost: send each prompt to {@code max} with the
   * probability that makes the mix of {@code low} and {@code max} cost as much as auto; its
   * accuracy is the expected value of that mix.
   */
  private static List<BenchRow> randomRows(List<BenchRow> rows, List<BenchRow> autoRows) {
    BenchRow low = rows.stream().filter(r -> r.kind().equals("level") && r.name().equals("low")).findFirst().orElse(null);
    BenchRow max = rows.stream().filter(r -> r.kind().equals("level") && r.name().equals("max")).findFirst().orElse(null);
    if (low == null || max == null || !low.measured() || !max.measured()) {
      return List.of();
    }
    var lowPoint = new Frontier.Point(low.costPer1kUsd(), low.accuracy());
    var maxPoint = new Frontier.Point(max.costPer1kUsd(), max.accuracy());
    List<BenchRow> random = new ArrayList<>();
    for (BenchRow auto : autoRows) {
      if (!auto.measured()) {
        continue;
      }
      double cost = Math.max(low.costPer1kUsd(), Math.min(max.costPer1kUsd(), auto.costPer1kUsd()));
      double share = max.costPer1kUsd() > low.costPer1kUsd()
          ? (cost - low.costPer1kUsd()) / (max.costPer1kUsd() - low.costPer1kUsd()) : 1;
      random.add(new BenchRow(auto.name().replace("auto", "random"), "random",
          String.format(Locale.ROOT, "max with probability %.2f, else low (expected value at %s's cost)", share, auto.name()),
          Frontier.randomAccuracy(lowPoint, maxPoint, cost), max.graded(), max.unknown(), cost, null, null, null, auto.target()));
    }
    return random;
  }

  static Ask ask(RecordedPrompt prompt, Effort level) {
    Ask plain = Ask.of(prompt.prompt(), level);
    return new Ask(plain.messages(), level, plain.model(), plain.deadline(), plain.maxCostUsd(), plain.key(),
        Map.of(ReplayProvider.PROMPT_ID_TAG, prompt.id()));
  }

  private interface Planning {
    PlannedAsk plan(RecordedPrompt prompt, int index);
  }

  private static Answer[] runAll(RecordedDataset data, Planning planning, Executor executor, Consumer<Integer> progress) {
    List<RecordedPrompt> prompts = data.prompts();
    Answer[] answers = new Answer[prompts.size()];
    // Prompts are independent: spread them over the cores.
    IntStream.range(0, prompts.size()).parallel()
        .forEach(i -> answers[i] = executor.execute(planning.plan(prompts.get(i), i)));
    progress.accept(prompts.size());
    return answers;
  }

  /** The cheapest model that answered correctly, per prompt: the limit no router can pass. */
  private BenchRow oracle(RecordedDataset data, List<Answer[]> byModel) {
    Answer[] chosen = new Answer[data.prompts().size()];
    for (int i = 0; i < chosen.length; i++) {
      Answer cheapestCorrect = null;
      Answer cheapest = null;
      for (Answer[] answers : byModel) {
        Answer a = answers[i];
        if (cheapest == null || a.costUsd() < cheapest.costUsd()) {
          cheapest = a;
        }
        if (grade(data.prompts().get(i), a) == Grade.CORRECT
            && (cheapestCorrect == null || a.costUsd() < cheapestCorrect.costUsd())) {
          cheapestCorrect = a;
        }
      }
      chosen[i] = cheapestCorrect != null ? cheapestCorrect : cheapest;
    }
    return measure("oracle", "oracle",
        "cheapest correct model per prompt (reads recorded correctness: a limit, not a plan)", data, chosen, null);
  }

  private Grade grade(RecordedPrompt prompt, Answer answer) {
    return grader.grade(prompt, answer.model(), answer.text());
  }

  private BenchRow measure(String name, String kind, String plan, RecordedDataset data, Answer[] answers, Double target) {
    int correct = 0;
    int graded = 0;
    double cost = 0;
    double[] latencies = new double[answers.length];
    for (int i = 0; i < answers.length; i++) {
      Grade g = grade(data.prompts().get(i), answers[i]);
      if (g != Grade.UNKNOWN) {
        graded++;
        correct += g == Grade.CORRECT ? 1 : 0;
      }
      cost += answers[i].costUsd();
      latencies[i] = answers[i].latency().toNanos() / 1e6;
    }
    Arrays.sort(latencies);
    Double accuracy = graded == 0 ? null : (double) correct / graded;
    return new BenchRow(name, kind, plan, accuracy, graded, answers.length - graded,
        cost / answers.length * 1000, percentile(latencies, 0.50), percentile(latencies, 0.95),
        graded == 0 ? "no prompt has a known grade" : null, target);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static BenchRow unmeasured(String name, String kind, String plan, String note, Double target) {
    return new BenchRow(name, kind, plan, null, 0, 0, null, null, null, note, target);
  }
}
