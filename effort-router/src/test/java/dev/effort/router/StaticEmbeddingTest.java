package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class StaticEmbeddingTest {

  private static final StaticEmbedding EMBEDDING = StaticEmbedding.miniLm();

  @Test
  void readsMiniLmsWordPieceTableFromItsOnnxFile() throws Exception {
    byte[] model;
    try (InputStream in = StaticEmbedding.class.getClassLoader().getResourceAsStream(StaticEmbedding.MODEL_RESOURCE)) {
      model = in.readAllBytes();
    }

    OnnxInitializer table = OnnxInitializer.read(model, StaticEmbedding.TABLE);

    assertThat(table.dims()).containsExactly(30_522, 384);
    assertThat(table.dataType()).isEqualTo(OnnxInitializer.UINT8);
    assertThat(table.raw()).hasSize(30_522 * 384);
    assertThatThrownBy(() -> OnnxInitializer.read(model, "no.such.weight"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such.weight");
  }

  @Test
  void aTextIsAUnitVectorAndNoTextIsZero() {
    float[] v = EMBEDDING.embed("Which gas do plants take in for photosynthesis?");

    assertThat(v).hasSize(StaticEmbedding.DIMENSIONS);
    assertThat(Vectors.dot(v, v)).isCloseTo(1.0, offset(1e-5));
    assertThat(EMBEDDING.embed(" \n ")).hasSize(StaticEmbedding.DIMENSIONS).containsOnly(0f);
  }

  @Test
  void aQuestionIsNearerToOneOnTheSameTopicThanToAnUnrelatedOne() {
    float[] plants = EMBEDDING.embed("Which gas do plants take in for photosynthesis?");
    float[] leaves = EMBEDDING.embed("What do the leaves of a plant absorb from the air to make sugar?");
    float[] code = EMBEDDING.embed("Write a python function to reverse a linked list.");

    assertThat(Vectors.dot(plants, leaves)).isGreaterThan(Vectors.dot(plants, code) + 0.1);
  }

  @Test
  void theVocabularysCommonDirectionIsTakenOut() {
    // Uncentered, the mean row that every text shares would dominate the similarity of any two texts.
    float[] a = EMBEDDING.embed("the cat sat on the mat");
    float[] b = EMBEDDING.embed("integral of a polynomial");

    assertThat(Vectors.dot(a, b)).isLessThan(0.5);
  }

  @Test
  void everyLoadProjectsOnTheSameDirections() {
    // Router files hold embeddings of training prompts: a fresh load must reproduce them exactly.
    String text = "In a rubber duck race, the winning duck traveled 300 meters in 10 minutes.";

    assertThat(StaticEmbedding.miniLm().embed(text)).containsExactly(EMBEDDING.embed(text));
  }

  @Test
  void aTableWhoseSizeIsNoMultipleOfItsRowsIsRefused() {
    assertThatThrownBy(() -> new StaticEmbedding(WordPieceTokenizer.miniLm(), new byte[10], 384))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("384");
  }
}
