package dev.effort.router;

import dev.effort.core.AnswerFormat;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the router knows of a prompt before any model answers it.
 *
 * @param embedding sentence embedding of the prompt's focused text (see {@link FeatureExtractor});
 *     all zeros for a prompt without text
 * @param promptTokens length of the whole prompt in tokens (word pieces, approximately)
 * @param format the form of answer the prompt asks for
 */
public record PromptFeatures(float[] embedding, int promptTokens, AnswerFormat format) {

  /** Token counts are scaled by the log of a large context window, so the scaled value is ~[0,1]. */
  static final double TOKEN_SCALE = Math.log1p(131_072);

  public PromptFeatures {
    Objects.requireNonNull(format, "format");
    embedding = Objects.requireNonNull(embedding, "embedding").clone();
    if (embedding.length == 0) {
      throw new IllegalArgumentException("an embedding needs at least one dimension");
    }
    if (promptTokens < 0) {
      throw new IllegalArgumentException("promptTokens must not be negative, got " + promptTokens);
    }
  }

  /** Number of inputs of {@link #vector()} for an embedding of {@code dimensions}. */
  static int vectorLength(int dimensions) {
    return dimensions + 1 + AnswerFormat.values().length + 1;
  }

  /**
   * The dense input of linear learners: the L2-normalized embedding, log1p(promptTokens) scaled to
   * about [0,1], the format one-hot, then a bias of 1.0.
   */
  public double[] vector() {
    double[] v = new double[vectorLength(embedding.length)];
    double norm = Math.sqrt(Vectors.dot(embedding, embedding));
    for (int i = 0; i < embedding.length; i++) {
      v[i] = norm > 0 ? embedding[i] / norm : 0;
    }
    int at = embedding.length;
    v[at++] = Math.log1p(promptTokens) / TOKEN_SCALE;
    v[at + format.ordinal()] = 1.0;
    v[v.length - 1] = 1.0;
    return v;
  }

  // Records compare arrays by reference; features are compared by content.
  @Override
  public boolean equals(Object o) {
    return o instanceof PromptFeatures f
        && Arrays.equals(embedding, f.embedding) && promptTokens == f.promptTokens && format == f.format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(embedding), promptTokens, format);
  }

  @Override
  public String toString() {
    return "PromptFeatures[embedding=" + embedding.length + " dims, promptTokens=" + promptTokens
        + ", format=" + format + "]";
  }
}
