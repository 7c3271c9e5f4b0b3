package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PredictionMetricsTest {

  private static final double NAN = Double.NaN;

  @Test
  void oneCandidateScoredByHand() {
    var m = PredictionMetrics.of(new double[][] {{0.8}, {0.3}, {0.6}}, new double[][] {{1}, {0}, {1}});

    assertThat(m.brier()).isCloseTo((0.04 + 0.09 + 0.16) / 3, within(1e-12));
    assertThat(m.logLoss()).isCloseTo(-(Math.log(0.8) + Math.log(0.7) + Math.log(0.6)) / 3, within(1e-12));
    assertThat(m.rocAuc()).isEqualTo(1.0);
  }

  @Test
  void unknownLabelsAreLeftOut() {
    var m = PredictionMetrics.of(new double[][] {{0.8}, {0.3}, {0.99}}, new double[][] {{1}, {0}, {NAN}});

    assertThat(m.brier()).isCloseTo((0.04 + 0.09) / 2, within(1e-12));
  }

  @Test
  void candidatesCountTheSameAndAucSkipsOnesWithASingleClass() {
    // Candidate 0: of its four good-bad pairs one is tied and three ranked the wrong way round
    // (AUC 0.5 / 4); candidate 1 has good answers only, so no AUC, but it has a Brier score of 0.
    var m = PredictionMetrics.of(
        new double[][] {{0.5, 1.0}, {0.5, 1.0}, {0.4, 1.0}, {0.6, 1.0}},
        new double[][] {{1, 1}, {0, 1}, {1, NAN}, {0, NAN}});

    assertThat(m.rocAuc()).isCloseTo(0.125, within(1e-12));
    assertThat(m.brier()).isCloseTo(((0.25 + 0.25 + 0.36 + 0.36) / 4 + 0) / 2, within(1e-12));
  }

  @Test
  void tiedPredictionsRankAsAHalf() {
    var m = PredictionMetrics.of(new double[][] {{0.5}, {0.5}}, new double[][] {{1}, {0}});

    assertThat(m.rocAuc()).isEqualTo(0.5);
  }

  @Test
  void certainWrongPredictionsCostAFiniteLogLoss() {
    var m = PredictionMetrics.of(new double[][] {{0.0}}, new double[][] {{1}});

    assertThat(m.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-6));
    assertThat(m.rocAuc()).isNaN();
  }
}
