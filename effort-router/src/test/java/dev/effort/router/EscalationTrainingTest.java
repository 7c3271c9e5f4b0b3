package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.Escalation;
import dev.effort.core.Plan;
import dev.effort.core.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Escalate plans learned from recorded answers: when two cheap models agree they are nearly
 * always right, when they split each is a coin toss; the strong model is right 95% of the time
 * at ten times the price.
 */
class EscalationTrainingTest {
  static final List<String> MODELS = List.of("a", "b", "big");
  static final EscalationTraining TRAINING =
      new EscalationTraining(List.of(List.of("a", "b"), List.of("big")), List.of(0.90, 0.97, 1.02), 1.0);

  static ModelAnswers answers(int n, long seed) {
    return answers(n, seed, 1);
  }

  /** As {@link #answers(int, long)}, each cheap model costing {@code cheapCost} (the strong one 10). */
  static ModelAnswers answers(int n, long seed, double cheapCost) {
    Random random = new Random(seed);
    List<String> prompts = new ArrayList<>();
    String[][] texts = new String[n][3];
    double[][] correct = new double[n][3];
    double[][] cost = new double[n][3];
    double[][] latency = new double[n][3];
    for (int i = 0; i < n; i++) {
      prompts.add("Question " + i + "?\nA) one\nB) two\nC) three\nD) four\nAnswer:");
      String right = "ABCD".substring(i % 4, i % 4 + 1);
      String wrong = "ABCD".substring((i + 1) % 4, (i + 1) % 4 + 1);
      boolean agree = random.nextDouble() < 0.6;
      boolean aRight = agree ? random.nextDouble() < 0.97 : random.nextBoolean();
      boolean bRight = agree ? aRight : !aRight;
      boolean bigRight = random.nextDouble() < 0.95;
      texts[i] = new String[] {aRight ? right : wrong, bRight ? right : wrong, bigRight ? right : wrong};
      correct[i] = new double[] {aRight ? 1 : 0, bRight ? 1 : 0, bigRight ? 1 : 0};
      cost[i] = new double[] {cheapCost, cheapCost, 10};
      latency[i] = new double[] {100, 100, 1000};
    }
    return new ModelAnswers(prompts, MODELS, texts, correct, cost, latency);
  }

  @Test
  void acceptsAgreementAndEscalatesASplitAtAModestTarget() {
    EscalationTraining.Result result = TRAINING.train(answers(600, 1), 7);
    Plan plan = result.plans().get(0);
    Escalation e = plan.learned().orElseThrow();
    String prompt = "Which?\nA) one\nB) two\nC) three\nD) four\nAnswer:";

    assertThat(plan.strategy()).isEqualTo(Strategy.ESCALATE);
    assertThat(e.decide(0, prompt, List.of("B", "B")).accept()).isTrue();
    assertThat(e.decide(0, prompt, List.of("A", "B")).accept()).isFalse();
  }

  @Test
  void outOfFoldOutcomesReachTheTargetAndCostRisesWithIt() {
    ModelAnswers data = answers(600, 2);
    EscalationTraining.Result result = TRAINING.train(data, 7);
    double reference = Arrays.stream(data.correct()).mapToDouble(r -> r[2]).average().orElseThrow();
    double[] accuracy = new double[3];
    double[] cost = new double[3];
    for (int t = 0; t < 3; t++) {
      int col = t;
      accuracy[t] = Arrays.stream(result.correct()).mapToDouble(r -> r[col]).average().orElseThrow();
      cost[t] = Arrays.stream(result.costUsd()).mapToDouble(r -> r[col]).average().orElseThrow();
    }
    assertThat(accuracy[0]).isGreaterThanOrEqualTo(0.90 * reference - 1e-9);
    assertThat(accuracy[1]).isGreaterThanOrEqualTo(0.97 * reference - 1e-9);
    assertThat(cost[0]).as("agreement accepted: far below always escalating (12)").isLessThan(7);
    assertThat(cost[2]).isGreaterThanOrEqualTo(cost[0]);
  }

  @Test
  void noPlanThatCostsAsMuchAsTheReferenceIsACandidate() {
    // The first stage alone costs what the strong model does: every plan is dominated by it.
    assertThat(TRAINING.train(answers(600, 4, 5), 7).plans()).isEmpty();
    EscalationTraining.Result cheap = TRAINING.train(answers(600, 4, 1), 7);
    assertThat(cheap.plans()).isNotEmpty();
    assertThat(cheap.costUsd()[0]).hasSize(cheap.plans().size());
    for (int p = 0; p < cheap.plans().size(); p++) {
      int col = p;
      assertThat(Arrays.stream(cheap.costUsd()).mapToDouble(r -> r[col]).average().orElseThrow()).isLessThan(10);
    }
  }

  @Test
  void aRouterTrainedWithEscalationCarriesItsPlansInItsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    ModelAnswers data = answers(300, 3);
    List<Plan> candidates = MODELS.stream().map(Plan::single).toList();
    var features = new ArrayList<PromptFeatures>();
    double[][] correct = new double[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      features.add(new PromptFeatures(new float[] {i % 7, 1}, 20, dev.effort.core.AnswerFormat.CHOICE));
      correct[i] = data.correct()[i].clone();
    }
    var set = new TrainingSet(candidates.stream().map(Plan::describe).toList(), features, correct, data.costUsd(),
        data.latencyMs());
    var provenance = new LearnedRouter.Provenance("knn", "synthetic", "ab".repeat(32), data.size(), "2026-12-06T00:00:00Z");
    java.util.function.Function<String, PromptFeatures> f = p -> features.get(0);
    LearnedRouter router = RouterTraining.train(set, data, TRAINING, candidates, 2, Learners.byName("knn"), 5, provenance, f);

    assertThat(router.candidates()).hasSize(3 + TRAINING.targets().size());
    java.nio.file.Path file = dir.resolve("r.bin");
    RouterFile.write(router, file);
    LearnedRouter loaded = RouterFile.load(file, f);
    assertThat(loaded.candidates()).isEqualTo(router.candidates());
    assertThat(loaded.candidates()).filteredOn(p -> p.strategy() == Strategy.ESCALATE).hasSize(3);
    assertThat(loaded.threshold(0.95, dev.effort.core.AnswerFormat.CHOICE))
        .isEqualTo(router.threshold(0.95, dev.effort.core.AnswerFormat.CHOICE));
  }
}
