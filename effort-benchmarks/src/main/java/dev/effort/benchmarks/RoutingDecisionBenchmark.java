package dev.effort.benchmarks;

import dev.effort.providers.data.RecordedDataset;
import dev.effort.providers.data.RecordedOutcome;
import dev.effort.providers.data.RecordedPrompt;
import dev.effort.providers.data.RouterBenchCsv;
import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Estimate;
import dev.effort.core.Plan;
import dev.effort.core.RouteChoice;
import dev.effort.router.FeatureExtractor;
import dev.effort.router.LearnedRouter;
import dev.effort.router.Learners;
import dev.effort.router.PromptFeatures;
import dev.effort.router.RouterTraining;
import dev.effort.router.TrainingSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One auto-effort routing decision as the planner makes it, embedding included: features of a
 * fresh prompt (no cache: every prompt's features are computed anew), each candidate's predicted
 * quality, expected cost and latency, and the choice. Beside it, the feature extraction alone (the
 * floor any embedding router pays) and the decision on ready features, so the share of each is
 * visible. Both embeddings run in the same invocation ({@code embedding} = {@code static}, the
 * default, and {@code minilm}, the encoder it replaced), so they are compared under the same load.
 * Sample time, so that p50 and p99 are reported.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoutingDecisionBenchmark {

  /** Real prompts of the three RouterBench sets, taken in turn (ARC's are long few-shot prompts). */
  @State(Scope.Thread)
  public static class Prompts {
    @Param("../shared/data/routerbench")
    public String data;

    @Param({"static", "minilm"})
    public String embedding;

    FeatureExtractor extractor;

    List<String> texts;
    List<PromptFeatures> features;
    int next;

    @Setup(Level.Trial)
    public void load() {
      List<RecordedPrompt> all = RouterBenchCsv.loadFolder(Path.of(data)).stream()
          .flatMap(d -> d.prompts().stream()).toList();
      texts = new ArrayList<>();
      for (int i = 0; i < all.size(); i += 37) {
        texts.add(all.get(i).prompt());
      }
      extractor = extractor(embedding);
      features = texts.stream().map(extractor::extract).toList();
    }

    int nextIndex() {
      next = next + 1 == texts.size() ? 0 : next + 1;
      return next;
    }
  }

  /** The learners trained on all three RouterBench train sets, single-model candidates. */
  @State(Scope.Benchmark)
  public static class Trained {
    @Param("../shared/data/routerbench")
    public String data;

    @Param({"static", "minilm"})
    public String embedding;

    @Param({"knn", "logistic", "mf"})
    public String learner;

    LearnedRouter router;
    double threshold;

    @Setup(Level.Trial)
    public void train() {
      List<RecordedDataset> datasets = RouterBenchCsv.loadFolder(Path.of(data));
      List<Plan> candidates = datasets.get(0).models().stream().map(Plan::single).toList();
      int reference = candidates.indexOf(Plan.single(REFERENCE));
      var provenance = new LearnedRouter.Provenance(learner, data, "-", 0, "-");
      FeatureExtractor extractor = extractor(embedding);
      router = RouterTraining.train(trainingSet(datasets, extractor), candidates, reference, Learners.byName(learner), 1,
          provenance, extractor::extract);
      threshold = router.threshold(1.0);
    }
  }

  static final String REFERENCE = "gpt-4-1106-preview";

  /** What the planner does for an auto ask: estimate every candidate, then choose. */
  @Benchmark
  public Plan decide(Prompts prompts, Trained trained) {
    Ask ask = Ask.of(prompts.texts.get(prompts.nextIndex()), Effort.AUTO);
    List<Estimate> estimates = trained.router.estimate(ask);
    return RouteChoice.choose(estimates, trained.router.reference(), trained.threshold, Optional.empty(), Optional.empty())
        .chosen().plan();
  }

  @Benchmark
  public PromptFeatures extractFeatures(Prompts prompts) {
    return prompts.extractor.extract(prompts.texts.get(prompts.nextIndex()));
  }

  @Benchmark
  public Plan decideOnReadyFeatures(Prompts prompts, Trained trained) {
    List<Estimate> estimates = trained.router.estimate(prompts.features.get(prompts.nextIndex()));
    return RouteChoice.choose(estimates, trained.router.reference(), trained.threshold, Optional.empty(), Optional.empty())
        .chosen().plan();
  }

  static FeatureExtractor extractor(String embedding) {
    return FeatureExtractor.of(FeatureExtractor.Embedding.valueOf(embedding.toUpperCase(java.util.Locale.ROOT)));
  }

  static TrainingSet trainingSet(List<RecordedDataset> datasets, FeatureExtractor extractor) {
    List<String> models = datasets.get(0).models();
    List<RecordedPrompt> prompts = datasets.stream().flatMap(d -> d.prompts().stream()).toList();
    List<PromptFeatures> features = prompts.parallelStream().map(p -> extractor.extract(p.prompt())).toList();
    int n = prompts.size();
    int m = models.size();
    double[][] correct = new double[n][m];
    double[][] cost = new double[n][m];
    double[][] latency = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        RecordedOutcome o = prompts.get(i).outcome(models.get(j)).orElseThrow();
        correct[i][j] = o.correct().map(good -> good ? 1.0 : 0.0).orElse(Double.NaN);
        cost[i][j] = o.costUsd().orElse(Double.NaN);
        // No latency is recorded; a rough model (500 ms to first token, 50 tokens/s, 4 characters
        // a token) stands in, since only the arithmetic matters here.
        latency[i][j] = 500 + 5 * o.response().length();
      }
    }
    return new TrainingSet(models.stream().map(model -> Plan.single(model).describe()).toList(), features, correct, cost, latency);
  }
}
