package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.AnswerFormat;
import dev.effort.router.FeatureExtractor.Embedding;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FeatureExtractorTest {

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

  @ParameterizedTest
  @EnumSource(Embedding.class)
  void twoArcQuestionsLookFarMoreDifferentFocusedThanWhole(Embedding embedding) {
    Function<String, float[]> whole = switch (embedding) {
      case STATIC -> StaticEmbedding.miniLm()::embed;
      case MINILM -> {
        var model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
        yield text -> model.embed(text).content().vector();
      }
    };
    FeatureExtractor extractor = FeatureExtractor.of(embedding);
    double wholeSimilarity = Vectors.dot(whole.apply(arc.get(0)), whole.apply(arc.get(1)));
    double focusedSimilarity = Vectors.dot(extractor.extract(arc.get(0)).embedding(), extractor.extract(arc.get(1)).embedding());

    // Whole, the shared few-shot examples dominate: the two prompts embed almost alike.
    assertThat(wholeSimilarity).isGreaterThan(0.9);
    assertThat(1 - focusedSimilarity).isGreaterThan(5 * (1 - wholeSimilarity));
  }

  @ParameterizedTest
  @EnumSource(Embedding.class)
  void featuresOfAPrompt(Embedding embedding) {
    FeatureExtractor extractor = FeatureExtractor.of(embedding);
    PromptFeatures f = extractor.extract(arc.get(0));

    assertThat(f.embedding()).hasSize(embedding == Embedding.STATIC ? StaticEmbedding.DIMENSIONS : 384);
    assertThat(Vectors.dot(f.embedding(), f.embedding())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(f.format()).isEqualTo(AnswerFormat.CHOICE);
    // Tokens count the whole prompt, few-shot examples included, not just the focused question.
    int focusTokens = extractor.extract(FocusedText.of(arc.get(0))).promptTokens();
    assertThat(f.promptTokens()).isGreaterThan(4 * focusTokens);
  }

  @ParameterizedTest
  @EnumSource(Embedding.class)
  void embeddingIsDeterministicAlsoAcrossThreads(Embedding embedding) {
    FeatureExtractor extractor = FeatureExtractor.of(embedding);
    float[] first = extractor.extract(arc.get(1)).embedding();

    List<float[]> parallel = IntStream.range(0, 8).parallel()
        .mapToObj(i -> extractor.extract(arc.get(1)).embedding()).toList();

    assertThat(parallel).allSatisfy(e -> assertThat(e).containsExactly(first));
  }

  @ParameterizedTest
  @EnumSource(Embedding.class)
  void emptyPromptHasNoDirection(Embedding embedding) {
    PromptFeatures f = FeatureExtractor.of(embedding).extract("  ");

    assertThat(f.embedding()).hasSize(embedding == Embedding.STATIC ? StaticEmbedding.DIMENSIONS : 384).containsOnly(0f);
    assertThat(f.promptTokens()).isZero();
  }

  @Test
  void theStaticEmbeddingIsTheDefaultAndTheEncoderIsSelectable() {
    assertThat(FeatureExtractor.configured()).isEqualTo(Embedding.STATIC);
    assertThat(FeatureExtractor.inProcess().embedding()).isEqualTo(Embedding.STATIC);
    try {
      System.setProperty(FeatureExtractor.PROPERTY, " MiniLM ");
      assertThat(FeatureExtractor.inProcess().embedding()).isEqualTo(Embedding.MINILM);
      System.setProperty(FeatureExtractor.PROPERTY, "bert");
      assertThatThrownBy(FeatureExtractor::inProcess).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("EFFORT_EMBEDDING=bert").hasMessageContaining("static").hasMessageContaining("minilm");
    } finally {
      System.clearProperty(FeatureExtractor.PROPERTY);
    }
  }

  @Test
  void runsOffline() {
    // The MiniLM tokenizer's loader (DJL) neither pings home nor downloads its native library when offline.
    FeatureExtractor.of(Embedding.MINILM);
    assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
  }
}
