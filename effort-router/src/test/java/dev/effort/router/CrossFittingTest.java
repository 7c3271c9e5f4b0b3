package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.AnswerFormat;
import dev.effort.core.Plan;
import dev.effort.core.RouteChoice;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cross-fitting must never route a prompt with a router that saw it. A learner that memorizes its
 * training rows routes them almost perfectly, so if cross-fitting leaked, it would score like the
 * oracle; outcomes here are noise, so an honest router cannot beat always taking the reference.
 */
class CrossFittingTest {
  static final List<Plan> CANDIDATES = List.of(Plan.single("cheap"), Plan.single("mid"), Plan.single("max"));
  static final double[] SUCCESS = {0.5, 0.7, 0.8};
  static final double[] COST = {0.001, 0.005, 0.02};
  static final int REFERENCE = 2;

  /** Predicts the recorded outcomes of prompts it was fit on, the mean outcome elsewhere. */
  static final class MemorizingLearner implements Learner {
    @Override
    public String name() {
      return "memorize";
    }

    @Override
    public QualityModel fit(TrainingSet data) {
      Map<PromptFeatures, double[]> seen = new HashMap<>();
      double[] mean = new double[data.candidates().size()];
      for (int i = 0; i < data.size(); i++) {
        seen.put(data.features().get(i), data.correct()[i]);
        for (int c = 0; c < mean.length; c++) {
          mean[c] += data.correct()[i][c] / data.size();
        }
      }
      return new Memorized(seen, mean);
    }
  }

  record Memorized(Map<PromptFeatures, double[]> seen, double[] mean) implements QualityModel {
    @Override
    public double[] predict(PromptFeatures f) {
      double[] y = seen.getOrDefault(f, mean).clone();
      for (int c = 0; c < y.length; c++) {
        y[c] = Math.min(0.98, Math.max(0.02, y[c]));
      }
      return y;
    }

    @Override
    public void write(DataOutputStream out) {
      throw new UnsupportedOperationException("a test double, never written");
    }

    @Override
    public String learner() {
      return "memorize";
    }
  }

  static TrainingSet noise(int n, long seed) {
    Random random = new Random(seed);
    List<PromptFeatures> features = new ArrayList<>();
    double[][] correct = new double[n][CANDIDATES.size()];
    double[][] cost = new double[n][CANDIDATES.size()];
    double[][] latency = new double[n][CANDIDATES.size()];
    for (int i = 0; i < n; i++) {
      float[] e = new float[8];
      for (int d = 0; d < e.length; d++) {
        e[d] = (float) random.nextGaussian();
      }
      features.add(new PromptFeatures(e, 50 + i, AnswerFormat.CHOICE));
      for (int c = 0; c < CANDIDATES.size(); c++) {
        correct[i][c] = random.nextDouble() < SUCCESS[c] ? 1 : 0;
        cost[i][c] = COST[c];
        latency[i][c] = 100 * (c + 1);
      }
    }
    return new TrainingSet(CANDIDATES.stream().map(Plan::describe).toList(), features, correct, cost, latency);
  }

  static LearnedRouter.Provenance provenance() {
    return new LearnedRouter.Provenance("memorize", "noise", "0".repeat(64), 0, "2026-11-29T00:00:00Z");
  }

  /** Routed accuracy at the default target, each row routed by {@code routerOf.apply(row)}. */
  static double routedAccuracy(TrainingSet data, Function<Integer, LearnedRouter> routerOf) {
    double correct = 0;
    for (int i = 0; i < data.size(); i++) {
      LearnedRouter router = routerOf.apply(i);
      var choice = RouteChoice.choose(router.estimate(data.features().get(i)), router.reference(),
          router.threshold(1.0), Optional.empty(), Optional.empty());
      correct += data.correct()[i][CANDIDATES.indexOf(choice.chosen().plan())];
    }
    return correct / data.size();
  }

  @Test
  void aMemorizingRouterScoresLikeTheOracleOnItsTrainingRowsButNotUnderCrossFitting() {
    TrainingSet data = noise(600, 7);
    Function<String, PromptFeatures> noText = prompt -> {
      throw new AssertionError("routing here uses features only");
    };
    LearnedRouter inSample = RouterTraining.train(data, CANDIDATES, REFERENCE, new MemorizingLearner(), 1, provenance(), noText);
    CrossFitting crossFitted = CrossFitting.run(data, data.size(), CANDIDATES, REFERENCE, new MemorizingLearner(), 1, provenance(), noText);

    double leaked = routedAccuracy(data, row -> inSample);
    double honest = routedAccuracy(data, crossFitted::routerFor);
    double alwaysMax = 0;
    for (int i = 0; i < data.size(); i++) {
      alwaysMax += data.correct()[i][REFERENCE] / data.size();
    }

    assertThat(leaked).as("routing the rows it memorized").isGreaterThan(0.9);
    assertThat(honest).as("cross-fitted: no row's outcome is known to its router")
        .isLessThan(leaked - 0.1)
        .isLessThan(alwaysMax + 0.05);
  }

  @Test
  void noRowIsRoutedByARouterWhoseTrainingSetHeldIt() {
    TrainingSet data = noise(250, 11);
    CrossFitting crossFitted = CrossFitting.run(data, data.size(), CANDIDATES, REFERENCE, new MemorizingLearner(), 3, provenance(),
        prompt -> null);

    for (int i = 0; i < data.size(); i++) {
      var memorized = (Memorized) crossFitted.routerFor(i).quality();
      assertThat(memorized.seen()).as("training rows of the router of row " + i)
          .doesNotContainKey(data.features().get(i))
          .hasSizeGreaterThan(data.size() * (CrossFitting.FOLDS - 2) / CrossFitting.FOLDS);
    }
  }

  @Test
  void rowsPastTheEvaluatedOnesAreInEveryFoldsTrainingAndRoutedByNone() {
    TrainingSet data = noise(300, 13);
    int evaluated = 200;
    CrossFitting crossFitted = CrossFitting.run(data, evaluated, CANDIDATES, REFERENCE, new MemorizingLearner(), 5,
        provenance(), prompt -> null);

    for (int i = 0; i < evaluated; i++) {
      var memorized = (Memorized) crossFitted.routerFor(i).quality();
      assertThat(memorized.seen()).as("training rows of the router of row " + i)
          .doesNotContainKey(data.features().get(i))
          .containsKeys(data.features().subList(evaluated, data.size()).toArray(PromptFeatures[]::new));
    }
    assertThat(crossFitted.fold()).as("only the evaluated rows are dealt into folds")
        .containsOnly(-1, 0, 1, 2, 3, 4)
        .satisfies(f -> assertThat(java.util.Arrays.stream(f, evaluated, f.length)).containsOnly(-1))
        .satisfies(f -> assertThat(java.util.Arrays.stream(f, 0, evaluated)).doesNotContain(-1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> crossFitted.routerFor(evaluated))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only trained on");
  }
}
