package dev.effort.cli.bench;

import dev.effort.core.Answer;
import dev.effort.core.Ask;
import dev.effort.core.Catalog;
import dev.effort.core.Effort;
import dev.effort.core.Executor;
import dev.effort.core.Ladder;
import dev.effort.core.ModelInfo;
import dev.effort.core.Plan;
import dev.effort.core.PlannedAsk;
import dev.effort.core.Planner;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.grading.Grade;
import dev.effort.providers.grading.Grader;
import dev.effort.providers.grading.RecordedLabelGrader;
import dev.effort.providers.replay.ReplayProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Measures every fixed level, every single model and the oracle on recorded data sets, through
 * the same {@link Planner} and {@link Executor} that serving uses, with the replay provider.
 * Answers are graded by the recorded correctness of the model whose text was returned.
 */
public final class Bench {
  static final String METHOD =
      "Each prompt is sent through the Planner and Executor with the replay provider, which serves the"
          + " recorded answer of each model; an answer is graded by the recorded correctness of the model"
          + " whose text was returned (prompts with an empty correctness cell are not graded); cost is the"
          + " recorded total_cost, or catalog prices times counted tokens where none is recorded; latency is"
          + " modeled from catalog priors (time to first token + output tokens / output speed; parallel"
          + " steps count the slowest, sequential steps add up).";

  /** Stand-in figures for models the catalog does not know, so unseen data sets still run. */
  static ModelInfo defaultPrior(String model) {
    return new ModelInfo(model, "replay", 1.0, 1.0, 500, 50, 4096,
        "not in the catalog: default prior of 500 ms to first token, 50 tokens/s and $1 per million"
            + " tokens (costs still come from the recorded total_cost where the data has it)");
  }

  private final Ladder ladder;
  private final Catalog catalog;
  private final Grader grader = new RecordedLabelGrader();

  public Bench(Ladder ladder, Catalog catalog) {
    this.ladder = ladder;
    this.catalog = catalog;
  }

  /** How many asks {@link #run} will execute for these data sets, for a progress bar. */
  public static long workOf(List<RecordedDataset> datasets) {
    return datasets.stream().mapToLong(d -> (long) d.prompts().size() * (Effort.LEVELS.size() + d.models().size())).sum();
  }

  /** Models of the data that the catalog does not know; they run on {@link #defaultPrior}. */
  public List<String> modelsWithoutPrior(List<RecordedDataset> datasets) {
    return datasets.stream().flatMap(d -> d.models().stream()).distinct().filter(m -> !catalog.contains(m)).toList();
  }

  public BenchReport run(String dataDir, List<RecordedDataset> datasets, Consumer<Integer> progress) {
    Catalog fleet = catalog.plus(modelsWithoutPrior(datasets).stream().map(Bench::defaultPrior).toList());
    List<DatasetResult> results = new ArrayList<>();
    for (RecordedDataset d : datasets) {
      results.add(run(d, fleet, progress));
    }
    return new BenchReport(dataDir, ladder.fleet(), METHOD, results);
  }

  private DatasetResult run(RecordedDataset data, Catalog fleet, Consumer<Integer> progress) {
    var replay = new ReplayProvider(List.of(data), fleet);
    var executor = new Executor(model -> replay);
    var planner = new Planner(ladder, fleet, Effort.HIGH);
    List<BenchRow> rows = new ArrayList<>();

    for (Effort level : Effort.LEVELS) {
      Plan plan = ladder.plan(level);
      List<String> missing = plan.models().stream().filter(m -> !data.models().contains(m)).toList();
      if (!missing.isEmpty()) {
        rows.add(unmeasured(level.wireName(), "level", plan.describe(),
            "not measured: the data has no recorded answers of " + String.join(", ", missing)));
        progress.accept(data.prompts().size());
        continue;
      }
      Answer[] answers = runAll(data, prompt -> planner.plan(ask(prompt, level)), executor, progress);
      rows.add(measure(level.wireName(), "level", plan.describe(), data, answers));
    }

    // Keep each single model's answers: the oracle picks among them.
    List<Answer[]> byModel = new ArrayList<>();
    for (String model : data.models()) {
      Answer[] answers = runAll(data, prompt -> planner.plan(ask(prompt, Effort.HIGH).withModel(model)), executor, progress);
      byModel.add(answers);
      rows.add(measure(model, "model", Plan.single(model).describe(), data, answers));
    }
    rows.add(oracle(data, byModel));
    rows.add(unmeasured("auto", "auto", "router", "auto: no router yet"));
    return new DatasetResult(data.name(), data.prompts().size(), rows);
  }

  private static Ask ask(RecordedPrompt prompt, Effort level) {
    Ask plain = Ask.of(prompt.prompt(), level);
    return new Ask(plain.messages(), level, plain.model(), plain.deadline(), plain.maxCostUsd(), plain.key(),
        Map.of(ReplayProvider.PROMPT_ID_TAG, prompt.id()));
  }

  private static Answer[] runAll(RecordedDataset data, Function<RecordedPrompt, PlannedAsk> planning, Executor executor, Consumer<Integer> progress) {
    List<RecordedPrompt> prompts = data.prompts();
    Answer[] answers = new Answer[prompts.size()];
    // Prompts are independent: spread them over the cores.
    IntStream.range(0, prompts.size()).parallel()
        .forEach(i -> answers[i] = executor.execute(planning.apply(prompts.get(i))));
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
        "cheapest correct model per prompt (reads recorded correctness: a limit, not a plan)", data, chosen);
  }

  private Grade grade(RecordedPrompt prompt, Answer answer) {
    return grader.grade(prompt, answer.model(), answer.text());
  }

  private BenchRow measure(String name, String kind, String plan, RecordedDataset data, Answer[] answers) {
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
        graded == 0 ? "no prompt has a known grade" : null);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static BenchRow unmeasured(String name, String kind, String plan, String note) {
    return new BenchRow(name, kind, plan, null, 0, 0, null, null, null, note);
  }
}
