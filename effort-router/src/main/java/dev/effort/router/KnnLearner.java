package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Similarity-weighted k nearest neighbours: a candidate's chance on a prompt is its success rate
 * on the most similar training prompts with a known label, smoothed toward its success rate
 * overall. Makes no assumption about the shape of the signal; needs the training prompts at
 * prediction time.
 *
 * @param k neighbours consulted
 * @param temperature of the similarity weights {@code exp((s - best) / temperature)}
 * @param pseudoCount weight of the candidate's overall rate, in nearest-neighbour units
 */
public record KnnLearner(int k, double temperature, double pseudoCount) implements Learner {

  static final String NAME = "knn";

  public KnnLearner {
    if (k < 1 || !(temperature > 0) || !(pseudoCount > 0)) {
      throw new IllegalArgumentException("knn needs k >= 1, temperature > 0 and pseudoCount > 0, got k=" + k
          + ", temperature=" + temperature + ", pseudoCount=" + pseudoCount);
    }
  }

  /**
   * The settings that did best out of fold on the three RouterBench sets: many neighbours and a
   * mild temperature. Few close neighbours (k 20, temperature 0.05) were worse than knowing only
   * which data set a prompt is from; within a task the signal is weak and needs averaging.
   */
  public KnnLearner() {
    this(100, 0.2, 2.0);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public QualityModel fit(TrainingSet data) {
    return new Model(this, Neighbors.of(data.features()), copy(data.correct()), successRates(data.correct(), data.candidates().size()));
  }

  static QualityModel read(DataInputStream in) throws IOException {
    ModelStreams.readHeader(in, NAME, 1);
    var settings = new KnnLearner(in.readInt(), in.readDouble(), in.readDouble());
    double[] prior = ModelStreams.readDoubles(in);
    double[][] correct = ModelStreams.readMatrix(in);
    return new Model(settings, Neighbors.read(in), correct, prior);
  }

  /** Each candidate's success rate over its known labels, with one success and one failure added. */
  static double[] successRates(double[][] correct, int m) {
    double[] rate = new double[m];
    for (int j = 0; j < m; j++) {
      double good = 1;
      double known = 2;
      for (double[] row : correct) {
        if (!Double.isNaN(row[j])) {
          good += row[j];
          known++;
        }
      }
      rate[j] = good / known;
    }
    return rate;
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  private record Model(KnnLearner settings, Neighbors neighbors, double[][] correct, double[] prior)
      implements QualityModel {

    @Override
    public double[] predict(PromptFeatures f) {
      Neighbors.Nearest nearest = neighbors.nearest(f.embedding(), settings.k());
      double[] w = nearest.weights(settings.temperature());
      double[] p = new double[prior.length];
      for (int j = 0; j < p.length; j++) {
        double good = settings.pseudoCount() * prior[j];
        double weight = settings.pseudoCount();
        for (int n = 0; n < w.length; n++) {
          double y = correct[nearest.rows()[n]][j];
          if (!Double.isNaN(y)) {
            good += w[n] * y;
            weight += w[n];
          }
        }
        p[j] = good / weight;
      }
      return p;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      ModelStreams.writeHeader(out, NAME, 1);
      out.writeInt(settings.k());
      out.writeDouble(settings.temperature());
      out.writeDouble(settings.pseudoCount());
      ModelStreams.writeDoubles(out, prior);
      ModelStreams.writeMatrix(out, correct);
      neighbors.write(out);
    }

    @Override
    public String learner() {
      return NAME;
    }
  }
}
