package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPiecesTest {

  @Test
  void countsWordsPunctuationAndPiecesOfLongWords() {
    assertThat(WordPieces.count("hello world")).isEqualTo(2);
    assertThat(WordPieces.count("Answer: B.")).isEqualTo(4);
    assertThat(WordPieces.count("internationalization")).as("20 letters").isEqualTo(3);
    assertThat(WordPieces.count("日本語")).as("one piece per ideograph").isEqualTo(3);
    assertThat(WordPieces.count(" \n ")).isZero();
  }

  @Test
  void closeToTheEmbeddingModelsOwnTokenizerOnRealPrompts() throws Exception {
    var tokenizer = new HuggingFaceTokenCountEstimator();
    List<String> prompts = new ArrayList<>(RecordedPrompts.routerBench("arc_challenge_train.csv", 20));
    prompts.addAll(RecordedPrompts.routerBench("winograde_train.csv", 20));
    prompts.addAll(RecordedPrompts.routerBench("mbpp_train.csv", 20));

    long approximate = prompts.stream().mapToLong(WordPieces::count).sum();
    long exact = prompts.stream().mapToLong(tokenizer::estimateTokenCountInText).sum();

    assertThat((double) approximate).isCloseTo(exact, withinPercentage(10));
  }
}
