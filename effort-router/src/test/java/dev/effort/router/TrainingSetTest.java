package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

  @Test
  void rowsPicksPromptsInTheOrderAsked() {
    TrainingSet data = Synthetic.twoClusters(3, 1); // rows alternate cluster 0, 1

    TrainingSet subset = data.rows(new int[] {3, 0});

    assertThat(subset.size()).isEqualTo(2);
    assertThat(subset.candidates()).isEqualTo(data.candidates());
    assertThat(subset.features()).containsExactly(data.features().get(3), data.features().get(0));
    assertThat(subset.correct()).isDeepEqualTo(new double[][] {{0, 1}, {1, 1}});
  }

  @Test
  void shapesMustMatchPromptsAndCandidates() {
    TrainingSet ok = Synthetic.twoClusters(2, 1);
    double[][] oneColumn = {{1}, {1}, {1}, {1}};

    assertThatThrownBy(() -> new TrainingSet(ok.candidates(), ok.features(), oneColumn, ok.costUsd(), ok.latencyMs()))
        .hasMessageContaining("correct[0] has 1 columns, expected one per candidate (2)");
    assertThatThrownBy(() -> new TrainingSet(ok.candidates(), ok.features().subList(0, 3), ok.correct(), ok.costUsd(), ok.latencyMs()))
        .hasMessageContaining("correct has 4 rows, expected one per prompt (3)");
    assertThatThrownBy(() -> new TrainingSet(List.of("a", "a"), ok.features(), ok.correct(), ok.costUsd(), ok.latencyMs()))
        .hasMessageContaining("unique");
  }

  @Test
  void labelsAreGoodNotGoodOrUnknown() {
    TrainingSet ok = Synthetic.twoClusters(1, 1);
    double[][] half = {{0.5, 1}, {1, Double.NaN}};

    assertThatThrownBy(() -> new TrainingSet(ok.candidates(), ok.features(), half, ok.costUsd(), ok.latencyMs()))
        .hasMessageContaining("correct[0][0] is 0.5");
    double[][] negative = {{-1, 1}, {1, 1}};
    assertThatThrownBy(() -> new TrainingSet(ok.candidates(), ok.features(), ok.correct(), negative, ok.latencyMs()))
        .hasMessageContaining("costUsd[0][0] is -1.0");
  }
}
