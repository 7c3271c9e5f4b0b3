package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Ask;
import dev.effort.core.Effort;
import dev.effort.core.Estimate;
import dev.effort.core.Plan;
import dev.effort.core.RouteChoice;
import dev.effort.core.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A router written by effort tune and read back decides exactly as the one that was trained. */
class RouterFileTest {
  static final List<Plan> CANDIDATES = List.of(
      Plan.single("small"), Plan.single("medium"),
      Plan.cascade(List.of("small", "medium"), "large"), Plan.single("large"));
  static final int REFERENCE = 3;

  static FeatureExtractor extractor;
  static List<String> prompts;
  static TrainingSet data;

  @TempDir Path dir;

  @BeforeAll
  static void trainingData() throws IOException {
    extractor = FeatureExtractor.inProcess();
    prompts = new ArrayList<>(RecordedPrompts.routerBench("arc_challenge_train.csv", 160));
    prompts.addAll(RecordedPrompts.routerBench("winograde_train.csv", 80));
    // Made-up outcomes tied to the data set, so the learners have something to learn.
    Random random = new Random(5);
    int n = prompts.size();
    double[][] correct = new double[n][CANDIDATES.size()];
    double[][] cost = new double[n][CANDIDATES.size()];
    double[][] latency = new double[n][CANDIDATES.size()];
    List<PromptFeatures> features = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      features.add(extractor.extract(prompts.get(i)));
      boolean arc = i < 160;
      double[] p = arc ? new double[] {0.8, 0.85, 0.9, 0.95} : new double[] {0.3, 0.5, 0.7, 0.9};
      for (int c = 0; c < CANDIDATES.size(); c++) {
        correct[i][c] = random.nextDouble() < p[c] ? 1 : 0;
        cost[i][c] = 0.0001 * (c + 1) * (1 + random.nextDouble());
        latency[i][c] = 200.0 * (c + 1) + random.nextInt(100);
      }
    }
    data = new TrainingSet(CANDIDATES.stream().map(Plan::describe).toList(), features, correct, cost, latency);
  }

  static LearnedRouter train(String learner) {
    var provenance = new LearnedRouter.Provenance(learner, "arc and winogrande sample", "ab".repeat(32), data.size(),
        "2026-11-29T08:00:00Z");
    return RouterTraining.train(data, CANDIDATES, REFERENCE, Learners.byName(learner), 42, provenance, extractor::extract);
  }

  @ParameterizedTest
  @ValueSource(strings = {"knn", "logistic", "mf"})
  void aRouterReadBackFromItsFileMakesIdenticalDecisions(String learner) throws IOException {
    LearnedRouter trained = train(learner);
    Path file = dir.resolve("router.bin");
    RouterFile.write(trained, file);

    Router loaded = Router.load(file);

    assertThat(loaded).isInstanceOf(LearnedRouter.class);
    assertThat(loaded.describe()).isEqualTo(trained.describe());
    assertThat(loaded.reference()).isEqualTo(trained.reference());
    List<String> unseen = new ArrayList<>(RecordedPrompts.routerBench("mbpp_train.csv", 20));
    unseen.addAll(prompts);
    double[] targets = {0.8, 0.9, 0.95, 1.0, 1.05};
    for (double target : targets) {
      assertThat(loaded.threshold(target)).as("threshold at " + target).isEqualTo(trained.threshold(target));
    }
    for (String prompt : unseen) {
      Ask ask = Ask.of(prompt, Effort.AUTO);
      List<Estimate> before = trained.estimate(ask);
      List<Estimate> after = loaded.estimate(ask);
      assertThat(after).isEqualTo(before);
      for (double target : targets) {
        assertThat(choose(loaded, after, target)).isEqualTo(choose(trained, before, target));
      }
    }
  }

  @Test
  void decisionsOfATrainedRouterDiffer() {
    // Guards the round-trip test against a router that decides the same for every prompt.
    LearnedRouter router = train("knn");
    long distinct = prompts.stream()
        .map(p -> choose(router, router.estimate(Ask.of(p, Effort.AUTO)), 0.95))
        .distinct().count();
    assertThat(distinct).isGreaterThan(1);
  }

  @Test
  void aLoadedRouterRespectsTheDeadlineAndTheCostCap() throws IOException {
    Path file = dir.resolve("r.bin");
    RouterFile.write(train("knn"), file);
    Router router = Router.load(file);
    for (String prompt : prompts.subList(0, 40)) {
      List<Estimate> estimates = router.estimate(Ask.of(prompt, Effort.AUTO));
      Duration fastest = estimates.stream().map(Estimate::latency).min(Duration::compareTo).orElseThrow();
      double cheapest = estimates.stream().mapToDouble(Estimate::costUsd).min().orElseThrow();

      Estimate inTime = RouteChoice.choose(estimates, router.reference(), router.threshold(1.0),
          Optional.of(fastest.plusMillis(1)), Optional.empty()).chosen();
      Estimate withinCap = RouteChoice.choose(estimates, router.reference(), router.threshold(1.0),
          Optional.empty(), Optional.of(cheapest * 1.0001)).chosen();

      assertThat(inTime.latency()).isLessThanOrEqualTo(fastest.plusMillis(1));
      assertThat(withinCap.costUsd()).isLessThanOrEqualTo(cheapest * 1.0001);
    }
  }

  @Test
  void aFileThatIsNotARouterIsRefusedWithWhatToDo() throws IOException {
    Path notARouter = dir.resolve("notes.txt");
    Files.writeString(notARouter, "hello");
    assertThatThrownBy(() -> Router.load(notARouter)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a router file").hasMessageContaining("effort tune");
  }

  @Test
  void aRouterFileOfAnotherFormatVersionIsRefusedWithWhatToDo() throws IOException {
    Path file = dir.resolve("r.bin");
    RouterFile.write(train("logistic"), file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[RouterFile.MAGIC.length + 3] = (byte) (RouterFile.FORMAT_VERSION + 1);
    Files.write(file, bytes);
    assertThatThrownBy(() -> Router.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("version " + (RouterFile.FORMAT_VERSION + 1)).hasMessageContaining("tune it again");
  }

  @Test
  void aRouterFileNamesItsFeaturesAndOneTunedOnOtherFeaturesIsRefusedWithWhatToDo() throws IOException {
    Path file = dir.resolve("minilm.bin");
    LearnedRouter router = train("knn");
    RouterFile.write(router, file);
    assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains(FeatureExtractor.Embedding.STATIC.description);

    // A file tuned with the MiniLM encoder (as every file before the static embedding was).
    System.setProperty(FeatureExtractor.PROPERTY, "minilm");
    try {
      RouterFile.write(router, file);
      assertThat(Router.load(file)).as("read where the encoder is configured").isInstanceOf(LearnedRouter.class);
    } finally {
      System.clearProperty(FeatureExtractor.PROPERTY);
    }

    assertThatThrownBy(() -> Router.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("was tuned on features \"" + FeatureExtractor.Embedding.MINILM.description)
        .hasMessageContaining("tune it again").hasMessageContaining("EFFORT_EMBEDDING=minilm");
  }

  private static Plan choose(Router router, List<Estimate> estimates, double target) {
    return RouteChoice.choose(estimates, router.reference(), router.threshold(target), Optional.empty(), Optional.empty())
        .chosen().plan();
  }
}
