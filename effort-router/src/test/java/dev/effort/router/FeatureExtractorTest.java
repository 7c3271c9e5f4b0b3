package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.effort.core.AnswerFormat;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {

  private static final FeatureExtractor EXTRACTOR = FeatureExtractor.inProcess();
  private static List<String> arc;

  @BeforeAll
  static void readTwoArcPrompts() throws Exception {
    arc = RecordedPrompts.routerBench("arc_challenge_train.csv", 2);
  }

  @Test
  void arcFewShotPromptFocusesOnItsFinalQuestion() {
    String focus = FocusedText.of(arc.get(1));

    assertThat(focus).startsWith("In a rubber duck race, the winning duck traveled 300 meters in 10 minutes.")
        .endsWith("D) 0.5 m/s")
        .doesNotContain("Answer:", "Print only", "Mesozoic");
  }

  @Test
  void twoArcQuestionsLookFarMoreDifferentFocusedThanWhole() {
    var whole = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    double wholeSimilarity = Vectors.dot(
        whole.embed(arc.get(0)).content().vector(), whole.embed(arc.get(1)).content().vector());
    double focusedSimilarity = Vectors.dot(
        EXTRACTOR.extract(arc.get(0)).embedding(), EXTRACTOR.extract(arc.get(1)).embedding());

    // Whole, the shared few-shot examples dominate: the two prompts embed almost alike.
    assertThat(wholeSimilarity).isGreaterThan(0.9);
    assertThat(1 - focusedSimilarity).isGreaterThan(5 * (1 - wholeSimilarity));
  }

  @Test
  void featuresOfAPrompt() {
    PromptFeatures f = EXTRACTOR.extract(arc.get(0));

    assertThat(f.embedding()).hasSize(384);
    assertThat(Vectors.dot(f.embedding(), f.embedding())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(f.format()).isEqualTo(AnswerFormat.CHOICE);
    // Tokens count the whole prompt, few-shot examples included, not just the focused question.
    int focusTokens = EXTRACTOR.extract(FocusedText.of(arc.get(0))).promptTokens();
    assertThat(f.promptTokens()).isGreaterThan(4 * focusTokens);
  }

  @Test
  void embeddingIsDeterministicAlsoAcrossThreads() {
    float[] first = EXTRACTOR.extract(arc.get(1)).embedding();

    List<float[]> parallel = IntStream.range(0, 8).parallel()
        .mapToObj(i -> EXTRACTOR.extract(arc.get(1)).embedding()).toList();

    assertThat(parallel).allSatisfy(e -> assertThat(e).containsExactly(first));
  }

  @Test
  void emptyPromptHasNoDirection() {
    PromptFeatures f = EXTRACTOR.extract("  ");

    assertThat(f.embedding()).hasSize(384).containsOnly(0f);
    assertThat(f.promptTokens()).isZero();
  }

  @Test
  void runsOffline() {
    // The tokenizer's loader (DJL) neither pings home nor downloads its native library when offline.
    assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
  }
}
