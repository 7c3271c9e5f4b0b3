package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatrixFactorizationTest {

  private static final int WEAK = 0;
  private static final int STRONG = 1;

  /** Cluster 0: the strong model is preferred; cluster 1: the weak one. */
  private static List<MatrixFactorization.Preference> separable(double[][] x, long seed) {
    Random random = new Random(seed);
    List<MatrixFactorization.Preference> preferences = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      int cluster = i % 2;
      x[i] = Synthetic.prompt(cluster, random).vector();
      preferences.add(cluster == 0 ? new MatrixFactorization.Preference(i, STRONG, WEAK)
          : new MatrixFactorization.Preference(i, WEAK, STRONG));
    }
    return preferences;
  }

  @Test
  void learnsOnWhichPromptsTheStrongModelIsPreferred() {
    double[][] x = new double[200][];
    var preferences = separable(x, 1);

    MatrixFactorization mf = MatrixFactorization.fit(x, 2, preferences, MatrixFactorization.Settings.routeLlm());

    Random random = new Random(2);
    for (int i = 0; i < 20; i++) {
      double[] strongKind = Synthetic.prompt(0, random).vector();
      double[] weakKind = Synthetic.prompt(1, random).vector();
      assertThat(mf.winRate(STRONG, WEAK, strongKind)).isGreaterThan(0.8);
      assertThat(mf.winRate(STRONG, WEAK, weakKind)).isLessThan(0.2);
      // σ(s(a) − s(b)): the two directions add up to one
      assertThat(mf.winRate(WEAK, STRONG, weakKind) + mf.winRate(STRONG, WEAK, weakKind))
          .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
      assertThat(mf.score(STRONG, strongKind) - mf.score(WEAK, strongKind)).isPositive();
    }
  }

  @Test
  void beforeTrainingItKnowsNothing() {
    double[][] x = new double[200][];
    var preferences = separable(x, 3);

    // One epoch at a vanishing step: the scores barely move from their random start.
    MatrixFactorization mf = MatrixFactorization.fit(x, 2, preferences,
        new MatrixFactorization.Settings(128, 1, 1e-9, 0, 0, 64, 0, 5));

    double[] strongKind = Synthetic.prompt(0, new Random(4)).vector();
    double[] weakKind = Synthetic.prompt(1, new Random(4)).vector();
    assertThat(Math.abs(mf.winRate(STRONG, WEAK, strongKind) - mf.winRate(STRONG, WEAK, weakKind))).isLessThan(0.3);
  }

  @Test
  void fittingIsDeterministicForASeed() {
    double[][] x = new double[60][];
    var preferences = separable(x, 5);
    var settings = MatrixFactorization.Settings.routeLlm().withEpochs(3, 0);

    double[] probe = Synthetic.prompt(0, new Random(6)).vector();
    assertThat(MatrixFactorization.fit(x, 2, preferences, settings).winRate(STRONG, WEAK, probe))
        .isEqualTo(MatrixFactorization.fit(x, 2, preferences, settings).winRate(STRONG, WEAK, probe));
  }

  @Test
  void aPreferenceOfAModelOverItselfIsRefused() {
    double[][] x = {Synthetic.prompt(0, new Random(7)).vector()};
    assertThatThrownBy(() -> MatrixFactorization.fit(x, 2, List.of(new MatrixFactorization.Preference(0, 1, 1)),
        MatrixFactorization.Settings.routeLlm()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two different models");
  }
}
