package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PgrCurveTest {

  // Prompts 0 and 2: only the strong model is right (a gain of 1 each); 1: both right; 3: both wrong.
  private static final double[] STRONG = {1, 1, 1, 0};
  private static final double[] WEAK = {0, 1, 0, 0};

  @Test
  void aRouterThatSendsTheTwoGainsFirstRecoversTheGapAtHalfTheCalls() {
    PgrCurve curve = PgrCurve.of(new double[] {0.9, 0.1, 0.8, 0.2}, STRONG, WEAK);

    assertThat(curve.strongShare()).containsExactly(0, 0.25, 0.5, 0.75, 1);
    assertThat(curve.pgr()).containsExactly(0, 0.5, 1, 1, 1);
    // 0.25·(0 + 0.5)/2 + 0.25·(0.5 + 1)/2 + 0.25 + 0.25
    assertThat(curve.apgr()).isCloseTo(0.75, within(1e-12));
    assertThat(curve.cpt(0.5)).isCloseTo(0.25, within(1e-12));
    // PGR 0.8 lies 0.6 of the way from 0.5 (at 25%) to 1 (at 50%)
    assertThat(curve.cpt(0.8)).isCloseTo(0.40, within(1e-12));
  }

  @Test
  void aRouterThatSendsTheGainsLastNeedsMostCalls() {
    PgrCurve curve = PgrCurve.of(new double[] {0.1, 0.9, 0.2, 0.8}, STRONG, WEAK);

    assertThat(curve.pgr()).containsExactly(0, 0, 0, 0.5, 1);
    assertThat(curve.apgr()).isCloseTo(0.25, within(1e-12));
    assertThat(curve.cpt(0.5)).isCloseTo(0.75, within(1e-12));
    assertThat(curve.cpt(0.8)).isCloseTo(0.90, within(1e-12));
  }

  @Test
  void tiedScoresAreOneStepAlongTheLineARandomTieBreakGives() {
    // Each tied pair holds one gain: a threshold can take both prompts or neither.
    PgrCurve curve = PgrCurve.of(new double[] {0.5, 0.5, 0.1, 0.1}, STRONG, WEAK);

    assertThat(curve.strongShare()).containsExactly(0, 0.5, 1);
    assertThat(curve.apgr()).isCloseTo(0.5, within(1e-12));
    assertThat(curve.cpt(0.8)).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void aConstantScoreIsTheRandomRouterInExpectation() {
    PgrCurve curve = PgrCurve.of(new double[4], STRONG, WEAK);

    assertThat(curve.apgr()).isCloseTo(0.5, within(1e-12));
    assertThat(curve.cpt(0.5)).isCloseTo(0.5, within(1e-12));
    assertThat(curve.cpt(0.8)).isCloseTo(0.8, within(1e-12));
    assertThat(curve.pgrAt(0.3)).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void judgeScoresCountByHowMuchTheStrongModelIsBetter() {
    // MT-Bench style: scores 1-10; only the first prompt has a gap (9 vs 3).
    PgrCurve curve = PgrCurve.of(new double[] {1, 0}, new double[] {9, 8}, new double[] {3, 8});

    assertThat(curve.pgr()).containsExactly(0, 1, 1);
    assertThat(curve.apgr()).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void randomScoresAverageAnAreaOfOneHalf() {
    Random random = new Random(1);
    double[] strong = new double[400];
    double[] weak = new double[400];
    for (int i = 0; i < strong.length; i++) {
      strong[i] = random.nextDouble() < 0.8 ? 1 : 0;
      weak[i] = random.nextDouble() < 0.6 ? 1 : 0;
    }
    double sum = 0;
    for (int draw = 0; draw < 200; draw++) {
      sum += PgrCurve.of(random.doubles(400).toArray(), strong, weak).apgr();
    }
    assertThat(sum / 200).isCloseTo(0.5, within(0.02));
  }

  @Test
  void noGapToRecoverIsRefused() {
    assertThatThrownBy(() -> PgrCurve.of(new double[] {1, 0}, new double[] {1, 0}, new double[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no gap to recover");
  }
}
