package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteLlmEvaluationTest {

  /** The strong model is right everywhere; the weak one only on cluster 1. */
  private static RouteLlmEvaluation.Benchmark separable(int n, long seed) {
    Random random = new Random(seed);
    List<PromptFeatures> features = new ArrayList<>();
    double[] strong = new double[n];
    double[] weak = new double[n];
    for (int i = 0; i < n; i++) {
      int cluster = i % 2;
      features.add(Synthetic.prompt(cluster, random));
      strong[i] = 1;
      weak[i] = cluster;
    }
    return new RouteLlmEvaluation.Benchmark("separable", features, strong, weak);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mf", "knn", "logistic"})
  void aCrossFittedRouterSendsTheStrongModelOnlyWhereItIsNeeded(String router) {
    var figures = RouteLlmEvaluation.crossFitted(separable(200, 1), router, 5, 2,
        MatrixFactorization.Settings.routeLlm().withEpochs(20, 300));

    // Perfect routing: PGR climbs to 1 at 50% strong calls, APGR 0.75, CPT(50%) 25%, CPT(80%) 40%.
    assertThat(figures.apgr()).isGreaterThan(0.72);
    assertThat(figures.cpt50()).isLessThan(0.28);
    assertThat(figures.cpt80()).isLessThan(0.43);
  }

  @Test
  void randomRoutingRecoversHalfTheGapOnAverage() {
    var random = RouteLlmEvaluation.random(separable(400, 3), 200, 4);

    assertThat(random.mean().apgr()).isBetween(0.48, 0.52);
    assertThat(random.mean().cpt50()).isBetween(0.47, 0.53);
    assertThat(random.mean().cpt80()).isBetween(0.77, 0.83);
    assertThat(random.low().apgr()).isLessThan(random.mean().apgr());
    assertThat(random.high().apgr()).isGreaterThan(random.mean().apgr());
  }

  @Test
  void anUnknownRouterIsNamedWithTheAcceptedOnes() {
    assertThatThrownBy(() -> RouteLlmEvaluation.crossFitted(separable(20, 5), "bert", 5, 6,
        MatrixFactorization.Settings.routeLlm()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown router 'bert'; accepted: mf, knn, logistic");
  }
}
