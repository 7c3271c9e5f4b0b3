package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Expected cost and latency of each candidate on a prompt: the similarity-weighted mean over the
 * most similar training prompts. Neighbours rather than one average because what a plan costs
 * depends on the prompt: a cascade escalates more often on hard ones, and answers differ in length.
 */
public final class NeighborCosts {

  static final int K = 20;
  static final double TEMPERATURE = 0.05;

  private final int k;
  private final double temperature;
  private final boolean scaleCostByTokens;
  private final Neighbors neighbors;
  private final int[] promptTokens;
  private final double[][] costUsd;
  private final double[][] latencyMs;
  private final double[] meanCostUsd;
  private final double[] meanLatencyMs;
  // The last search: a router asks cost and latency of the same prompt back to back.
  private volatile Search last;

  private record Search(PromptFeatures features, Neighbors.Nearest nearest) {}

  private NeighborCosts(int k, double temperature, boolean scaleCostByTokens, Neighbors neighbors, int[] promptTokens,
      double[][] costUsd, double[][] latencyMs) {
    this.k = k;
    this.temperature = temperature;
    this.scaleCostByTokens = scaleCostByTokens;
    this.neighbors = neighbors;
    this.promptTokens = promptTokens;
    this.costUsd = costUsd;
    this.latencyMs = latencyMs;
    this.meanCostUsd = means(costUsd);
    this.meanLatencyMs = means(latencyMs);
  }

  public static NeighborCosts fit(TrainingSet data) {
    return fit(data, K, TEMPERATURE, true);
  }

  static NeighborCosts fit(TrainingSet data, int k, double temperature, boolean scaleCostByTokens) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("neighbour costs need at least one training prompt");
    }
    int[] tokens = data.features().stream().mapToInt(PromptFeatures::promptTokens).toArray();
    return new NeighborCosts(k, temperature, scaleCostByTokens, Neighbors.of(data.features()), tokens,
        copy(data.costUsd()), copy(data.latencyMs()));
  }

  /** Expected USD per candidate; NaN where no training prompt has a cost for it. */
  public double[] costUsd(PromptFeatures f) {
    return weightedMeans(f, costUsd, meanCostUsd, scaleCostByTokens);
  }

  /** Expected total latency per candidate in ms; NaN where no training prompt has one. */
  public double[] latencyMs(PromptFeatures f) {
    return weightedMeans(f, latencyMs, meanLatencyMs, false);
  }

  private double[] weightedMeans(PromptFeatures f, double[][] values, double[] fallback, boolean scaleByTokens) {
    Search search = last;
    if (search == null || search.features() != f) {
      search = new Search(f, neighbors.nearest(f.embedding(), k));
      last = search;
    }
    Neighbors.Nearest nearest = search.nearest();
    double[] w = nearest.weights(temperature);
    double[] mean = new double[fallback.length];
    for (int j = 0; j < mean.length; j++) {
      double sum = 0;
      double tokens = 0;
      double weight = 0;
      for (int n = 0; n < w.length; n++) {
        int row = nearest.rows()[n];
        double v = values[row][j];
        if (!Double.isNaN(v)) {
          sum += w[n] * v;
          tokens += w[n] * promptTokens[row];
          weight += w[n];
        }
      }
      if (weight == 0) {
        mean[j] = fallback[j];
        continue;
      }
      // A longer prompt costs more to read: scaled by its length over the neighbours' (out of fold
      // on RouterBench this cuts the cost error by a fifth; latency depends on the answer's length).
      mean[j] = scaleByTokens ? sum / weight * (f.promptTokens() + 1.0) / (tokens / weight + 1.0) : sum / weight;
    }
    return mean;
  }

  public void write(DataOutputStream out) throws IOException {
    ModelStreams.writeHeader(out, "neighbor-costs", 1);
    out.writeInt(k);
    out.writeDouble(temperature);
    out.writeBoolean(scaleCostByTokens);
    out.writeInt(promptTokens.length);
    for (int t : promptTokens) {
      out.writeInt(t);
    }
    ModelStreams.writeMatrix(out, costUsd);
    ModelStreams.writeMatrix(out, latencyMs);
    neighbors.write(out);
  }

  public static NeighborCosts read(DataInputStream in) throws IOException {
    ModelStreams.readHeader(in, "neighbor-costs", 1);
    int k = in.readInt();
    double temperature = in.readDouble();
    boolean scaleCostByTokens = in.readBoolean();
    int[] tokens = new int[ModelStreams.length(in)];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = in.readInt();
    }
    double[][] cost = ModelStreams.readMatrix(in);
    double[][] latency = ModelStreams.readMatrix(in);
    return new NeighborCosts(k, temperature, scaleCostByTokens, Neighbors.read(in), tokens, cost, latency);
  }

  /** Per column, the mean of the known values (NaN if none). */
  private static double[] means(double[][] values) {
    double[] mean = new double[values[0].length];
    for (int j = 0; j < mean.length; j++) {
      double sum = 0;
      int known = 0;
      for (double[] row : values) {
        if (!Double.isNaN(row[j])) {
          sum += row[j];
          known++;
        }
      }
      mean[j] = known > 0 ? sum / known : Double.NaN;
    }
    return mean;
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
