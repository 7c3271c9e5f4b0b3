package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {

  private static final WordPieceTokenizer TOKENIZER = WordPieceTokenizer.miniLm();
  /** The model's own tokenizer (Hugging Face's, through DJL), as the MiniLM encoder uses it. */
  private static HuggingFaceTokenizer reference;

  @BeforeAll
  static void loadTheModelsOwnTokenizer() throws Exception {
    try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(WordPieceTokenizer.RESOURCE)) {
      reference = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false", "truncation", "false"));
    }
  }

  private static int[] referenceIds(String text) {
    return Arrays.stream(reference.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
  }

  @Test
  void splitsWordsPunctuationAndWordPieces() {
    assertThat(pieces("Hello, world!")).containsExactly("hello", ",", "world", "!");
    assertThat(pieces("tokenization")).containsExactly("token", "##ization");
    assertThat(pieces("Café  naïve\tRÉSUMÉ")).containsExactly("cafe", "naive", "resume");
    assertThat(pieces("日本")).containsExactly("日", "本");
    assertThat(pieces("a".repeat(101))).containsExactly("[UNK]");
    assertThat(TOKENIZER.ids(" \n\t ")).isEmpty();
  }

  @Test
  void givesTheModelsOwnIdsOnRealPrompts() throws Exception {
    List<String> prompts = new ArrayList<>(RecordedPrompts.routerBench("arc_challenge_train.csv", 100));
    prompts.addAll(RecordedPrompts.routerBench("winograde_train.csv", 100));
    prompts.addAll(RecordedPrompts.routerBench("mbpp_train.csv", 100));
    prompts.addAll(List.of("Übung macht den Meister — «ça va?» 😀 x² ½ ﬁ \u00a0nbsp", "def f(x):\n\treturn x**2 # ok",
        "中文和English混合, 한국어 テキスト", "zero\u200bwidth\u0000and\u0007control"));

    for (String prompt : prompts) {
      assertThat(TOKENIZER.ids(prompt)).as(prompt).containsExactly(referenceIds(prompt));
    }
  }

  private static List<String> pieces(String text) {
    return Arrays.stream(TOKENIZER.ids(text)).mapToObj(id -> reference.decode(new long[] {id}, false)).toList();
  }
}
