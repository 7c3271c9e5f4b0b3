package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/** Training prompts' embeddings, searched by cosine similarity (exhaustively: a few thousand rows). */
final class Neighbors {

  /** The nearest rows, most similar first (ties: the earlier row first). */
  record Nearest(int[] rows, double[] similarity) {

    /**
     * Weights {@code exp((s - best) / temperature)}: 1 for the nearest, less for the farther ones,
     * so a low temperature listens to the closest prompts only.
     */
    double[] weights(double temperature) {
      double[] w = new double[rows.length];
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.exp((similarity[i] - similarity[0]) / temperature);
      }
      return w;
    }
  }

  // Unit embeddings stored by dimension (one array of all rows per dimension): the similarity
  // of a query to every row is then a run of a·x+y over long arrays, which the JIT vectorizes;
  // a dot product per row is a sequential sum it cannot, and ran 5x slower.
  private final float[][] byDimension;
  private final int size;

  private Neighbors(float[][] byDimension, int size) {
    this.byDimension = byDimension;
    this.size = size;
  }

  static Neighbors of(List<PromptFeatures> features) {
    int n = features.size();
    int d = n == 0 ? 0 : features.get(0).embedding().length;
    float[][] byDimension = new float[d][n];
    for (int r = 0; r < n; r++) {
      float[] u = Vectors.unit(features.get(r).embedding());
      for (int i = 0; i < d; i++) {
        byDimension[i][r] = u[i];
      }
    }
    return new Neighbors(byDimension, n);
  }

  Nearest nearest(float[] embedding, int k) {
    float[] query = Vectors.unit(embedding);
    if (size > 0 && query.length != byDimension.length) {
      throw new IllegalArgumentException("the training prompts have " + byDimension.length
          + "-dimensional embeddings, this prompt " + query.length + ": its embedding comes from another model");
    }
    float[] similarity = new float[size];
    for (int i = 0; i < byDimension.length; i++) {
      float q = query[i];
      float[] column = byDimension[i];
      for (int r = 0; r < size; r++) {
        similarity[r] += q * column[r];
      }
    }
    int keep = Math.min(k, size);
    int[] rows = new int[keep];
    double[] sims = new double[keep];
    int found = 0;
    for (int r = 0; r < size; r++) {
      double s = similarity[r];
      if (found == keep && (keep == 0 || s <= sims[keep - 1])) {
        continue;
      }
      int at = found < keep ? found++ : keep - 1;
      while (at > 0 && sims[at - 1] < s) {
        sims[at] = sims[at - 1];
        rows[at] = rows[at - 1];
        at--;
      }
      sims[at] = s;
      rows[at] = r;
    }
    return new Nearest(rows, sims);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(size);
    out.writeInt(byDimension.length);
    for (float[] column : byDimension) {
      ModelStreams.writeFloats(out, column);
    }
  }

  static Neighbors read(DataInputStream in) throws IOException {
    int size = ModelStreams.length(in);
    float[][] byDimension = new float[ModelStreams.length(in)][];
    for (int i = 0; i < byDimension.length; i++) {
      byDimension[i] = ModelStreams.readFloats(in);
      if (byDimension[i].length != size) {
        throw new IOException("corrupt model: " + byDimension[i].length + " rows in dimension " + i + ", expected " + size);
      }
    }
    return new Neighbors(byDimension, size);
  }
}
