package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.effort.core.AnswerFormat;
import org.junit.jupiter.api.Test;

class PromptFeaturesTest {

  @Test
  void vectorIsUnitEmbeddingThenScaledTokensThenFormatThenBias() {
    var f = new PromptFeatures(new float[] {3, 4}, 1023, AnswerFormat.NUMBER);

    double[] v = f.vector();

    assertThat(v).hasSize(2 + 1 + 3 + 1);
    assertThat(v[0]).isCloseTo(0.6, within(1e-7));
    assertThat(v[1]).isCloseTo(0.8, within(1e-7));
    assertThat(v[2]).as("log1p(tokens), a 128k-token prompt at 1").isCloseTo(Math.log(1024) / Math.log(131_073), within(1e-12));
    assertThat(new double[] {v[3], v[4], v[5]}).containsExactly(0, 1, 0); // CHOICE, NUMBER, FREE
    assertThat(v[6]).isEqualTo(1.0);
  }

  @Test
  void featuresAreComparedByContentAndCannotBeChangedFromOutside() {
    float[] e = {1, 2};
    var f = new PromptFeatures(e, 5, AnswerFormat.FREE);
    e[0] = 9;

    assertThat(f).isEqualTo(new PromptFeatures(new float[] {1, 2}, 5, AnswerFormat.FREE));
    assertThat(f.embedding()[0]).isEqualTo(1f);
  }

  @Test
  void negativeTokenCountIsRejected() {
    assertThatThrownBy(() -> new PromptFeatures(new float[] {1}, -1, AnswerFormat.FREE))
        .hasMessageContaining("promptTokens");
  }
}
