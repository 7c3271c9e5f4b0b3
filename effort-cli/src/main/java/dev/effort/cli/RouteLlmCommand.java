package dev.effort.cli;

import dev.effort.cli.bench.TrainingData;
import dev.effort.providers.data.JudgedDataset;
import dev.effort.providers.data.JudgedPrompt;
import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouteLlmData;
import dev.effort.router.MatrixFactorization;
import dev.effort.router.PromptFeatures;
import dev.effort.router.RouteLlmEvaluation;
import dev.effort.router.RouteLlmEvaluation.Benchmark;
import dev.effort.router.RouteLlmEvaluation.Figures;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "routellm",
    mixinStandardHelpOptions = true,
    description = {
      "RouteLLM's own evaluation (APGR, CPT) of the routers, beside the paper's figures.",
      "On its recorded strong/weak pair (gpt-4-1106-preview, Mixtral-8x7B): APGR, CPT(50%) and CPT(80%) on",
      "MMLU, GSM8K and MT-Bench for the matrix-factorization router and the other learners, cross-fitted by",
      "prompt, beside random routing and the paper's figures."
    })
final class RouteLlmCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin LogOptions logs = new LogOptions();


  static final String STRONG = "gpt-4-1106-preview";
  static final String WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1";
  static final List<String> BENCHMARKS = List.of("mmlu", "gsm8k", "mt-bench");
  private static final int RANDOM_DRAWS = 200;

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "The RouteLLM recordings (default: ../shared/data/routellm beside the checkout).")
  Path data;

  @Option(names = "--learner", paramLabel = "NAME", split = ",",
      description = "Routers to evaluate, comma-separated: mf, knn, logistic (default: all three).")
  List<String> learners = RouteLlmEvaluation.ROUTERS;

  @Option(names = "--benchmark", paramLabel = "NAME", split = ",",
      description = "Benchmarks, comma-separated: mmlu, gsm8k, mt-bench (default: all three).")
  List<String> benchmarks = BENCHMARKS;

  @Option(names = "--folds", paramLabel = "K", defaultValue = "5",
      description = "Folds of the cross-fitting, by prompt (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--limit", paramLabel = "N",
      description = "Evaluate a random sample of N prompts of each benchmark (default: every prompt).")
  Integer limit;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs of the matrix factorization (default: 20, at least 1,000 steps); fewer for a quick look.")
  Integer epochs;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingData.SEED,
      description = "Seed of the folds, the sample and random routing (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    logs.apply(java.util.Optional.empty(), java.util.Optional.empty(), "warn");
    for (String l : learners) {
      if (!RouteLlmEvaluation.ROUTERS.contains(l)) {
        throw new CliException("unknown --learner '" + l + "'; accepted: " + String.join(", ", RouteLlmEvaluation.ROUTERS));
      }
    }
    for (String b : benchmarks) {
      if (!BENCHMARKS.contains(b)) {
        throw new CliException("unknown --benchmark '" + b + "'; accepted: " + String.join(", ", BENCHMARKS));
      }
    }
    if (folds < 2) {
      throw new CliException("--folds must be at least 2, got " + folds);
    }
    if (limit != null && limit < folds) {
      throw new CliException("--limit must be at least the number of folds (" + folds + "), got " + limit);
    }
    Path dir = dataFolder();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MatrixFactorization.Settings mf = MatrixFactorization.Settings.routeLlm();
    if (epochs != null) {
      mf = mf.withEpochs(epochs, 0);
    }
    Function<String, PromptFeatures> features = TrainingData.cachedFeatures();
    out.printf(Locale.ROOT, "RouteLLM's evaluation: strong %s, weak %s; each router cross-fitted over %d folds by"
        + " prompt (seed %d), learning \"the strong model's answer is strictly better\" from the prompt's features.%n",
        STRONG, WEAK, folds, seed);
    out.println("APGR: mean performance gap recovered over the share of strong calls; CPT(x): the least share of"
        + " strong calls reaching x of the gap.");
    for (String name : benchmarks) {
      Loaded loaded = load(name, dir);
      int[] rows = sample(loaded.prompts.size());
      err.printf(Locale.ROOT, "routellm: embedding %d %s prompts ...%n", rows.length, name);
      err.flush();
      List<PromptFeatures> f = Arrays.asList(new PromptFeatures[rows.length]);
      IntStream.range(0, rows.length).parallel().forEach(i -> f.set(i, features.apply(loaded.prompts.get(rows[i]))));
      Benchmark benchmark = new Benchmark(name, f,
          Arrays.stream(rows).mapToDouble(i -> loaded.strong[i]).toArray(),
          Arrays.stream(rows).mapToDouble(i -> loaded.weak[i]).toArray());
      out.println();
      out.printf(Locale.ROOT, "%s: %d prompts%s; %s %s, %s %s; the strong model is strictly better on %.1f%%%n",
          name, rows.length, rows.length < loaded.prompts.size() ? " (a sample of " + loaded.prompts.size() + ")" : "",
          "strong", fmtQuality(benchmark.strongMean(), loaded.judged), "weak", fmtQuality(benchmark.weakMean(), loaded.judged),
          100 * Arrays.stream(benchmark.strongWins()).average().orElse(0));
      out.println(String.format(Locale.ROOT, "%-44s | %-11s | %-11s | %-11s", "router", "APGR", "CPT(50%)", "CPT(80%)"));
      var random = RouteLlmEvaluation.random(benchmark, RANDOM_DRAWS, seed);
      out.println(row("random (mean of " + RANDOM_DRAWS + " draws)",
          random.mean().apgr(), random.mean().cpt50(), random.mean().cpt80()));
      out.println(String.format(Locale.ROOT, "%-44s | %.3f-%.3f | %4.1f-%4.1f%% | %4.1f-%4.1f%%", "random, 95% range",
          random.low().apgr(), random.high().apgr(), 100 * random.low().cpt50(), 100 * random.high().cpt50(),
          100 * random.low().cpt80(), 100 * random.high().cpt80()));
      for (String learner : learners) {
        err.printf(Locale.ROOT, "routellm: cross-fitting %s on %s ...%n", learner, name);
        err.flush();
        Figures figures = RouteLlmEvaluation.crossFitted(benchmark, learner, folds, seed, mf);
        out.println(row(learner + " (ours, cross-fitted)", figures.apgr(), figures.cpt50(), figures.cpt80()));
        out.flush();
      }
      for (PaperFigures.Row paper : PaperFigures.of(name)) {
        out.println(String.format(Locale.ROOT, "%-44s | %-11s | %-11s | %-11s", paper.router(), paper.apgr(),
            paper.cpt50(), paper.cpt80()));
      }
    }
    out.println();
    out.println("Paper: Ong et al. 2024, RouteLLM, arXiv 2406.18665; its routers were trained on Chatbot Arena"
        + " preferences (65k battles, 64 models), optionally augmented, and evaluated out of domain; n/f: not found,"
        + " ≈: read off the authors' blog post. See the README, \"RouteLLM's evaluation\", for sources and what differs.");
    out.flush();
    return 0;
  }

  private static String row(String name, double apgr, double cpt50, double cpt80) {
    return String.format(Locale.ROOT, "%-44s | %-11.3f | %-11s | %-11s", name, apgr,
        String.format(Locale.ROOT, "%.1f%%", 100 * cpt50), String.format(Locale.ROOT, "%.1f%%", 100 * cpt80));
  }

  private static String fmtQuality(double mean, boolean judged) {
    return judged ? String.format(Locale.ROOT, "%.2f / 10", mean) : String.format(Locale.ROOT, "%.3f", mean);
  }

  private Path dataFolder() {
    Path dir = data != null ? data : DataLocation.defaultFolder("routellm").orElseThrow(() -> new CliException(
        "no RouteLLM data found at ../shared/data/routellm; pass --data DIR with its mmlu/, gsm8k_responses.csv,"
            + " gsm8k_test.jsonl, mt_bench_question.jsonl and mt_bench_judgements.jsonl"));
    if (!Files.isDirectory(dir)) {
      throw new CliException("--data " + dir + " is not a folder; give the RouteLLM data folder");
    }
    return dir;
  }

  private int[] sample(int n) {
    if (limit == null || limit >= n) {
      return IntStream.range(0, n).toArray();
    }
    int[] order = IntStream.range(0, n).toArray();
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] rows = Arrays.copyOf(order, limit);
    Arrays.sort(rows);
    return rows;
  }

  /** A benchmark's prompts and each model's quality on them. */
  private record Loaded(List<String> prompts, double[] strong, double[] weak, boolean judged) {}

  private static Loaded load(String name, Path dir) {
    return switch (name) {
      case "mmlu" -> recorded(RouteLlmData.loadMmlu(require(dir.resolve("mmlu"))));
      case "gsm8k" -> recorded(RouteLlmData.loadGsm8k(require(dir.resolve("gsm8k_responses.csv")),
          require(dir.resolve("gsm8k_test.jsonl"))));
      case "mt-bench" -> judged(RouteLlmData.loadMtBench(require(dir.resolve("mt_bench_question.jsonl")),
          require(dir.resolve("mt_bench_judgements.jsonl"))));
      default -> throw new CliException("unknown benchmark " + name);
    };
  }

  private static Path require(Path path) {
    if (!Files.exists(path)) {
      throw new CliException("missing " + path + " in the RouteLLM data folder");
    }
    return path;
  }

  private static Loaded recorded(RecordedDataset d) {
    requirePair(d.models(), d.name());
    List<String> prompts = new ArrayList<>();
    double[] strong = new double[d.prompts().size()];
    double[] weak = new double[d.prompts().size()];
    for (int i = 0; i < strong.length; i++) {
      RecordedPrompt p = d.prompts().get(i);
      prompts.add(p.prompt());
      strong[i] = p.outcome(STRONG).flatMap(o -> o.correct()).orElseThrow() ? 1 : 0;
      weak[i] = p.outcome(WEAK).flatMap(o -> o.correct()).orElseThrow() ? 1 : 0;
    }
    return new Loaded(prompts, strong, weak, false);
  }

  private static Loaded judged(JudgedDataset d) {
    requirePair(d.models(), d.name());
    List<String> prompts = d.prompts().stream().map(JudgedPrompt::prompt).toList();
    return new Loaded(prompts, d.prompts().stream().mapToDouble(p -> p.score(STRONG)).toArray(),
        d.prompts().stream().mapToDouble(p -> p.score(WEAK)).toArray(), true);
  }

  private static void requirePair(List<String> models, String name) {
    if (!models.contains(STRONG) || !models.contains(WEAK)) {
      throw new CliException(name + " records " + models + "; RouteLLM's evaluation needs " + STRONG + " and " + WEAK);
    }
  }
}
