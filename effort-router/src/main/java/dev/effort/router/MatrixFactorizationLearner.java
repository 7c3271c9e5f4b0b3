package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RouteLLM's {@linkplain MatrixFactorization matrix factorization} as a learner of every
 * candidate's chance of a good answer. Each candidate is a model of the factorization, and so is
 * one more, the <i>bar</i>: on each prompt a candidate with a good answer beats the bar and one
 * with a bad answer loses to it, and of two candidates whose outcomes differ the good one beats
 * the other (RouteLLM's preferences). A candidate's chance of a good answer is then its chance of
 * beating the bar, σ(s(c, q) − s(bar, q)). With a single candidate, the bar is its opponent: the
 * RouteLLM evaluation trains "strong beats weak" this way. Unknown labels make no preferences.
 *
 * @param settings how the factorization is fitted; by default {@link MatrixFactorization.Settings#compact()}
 */
public record MatrixFactorizationLearner(MatrixFactorization.Settings settings) implements Learner {

  static final String NAME = "mf";
  // Predictions stay inside (0,1): a router must never be certain.
  private static final double EPSILON = 1e-6;

  public MatrixFactorizationLearner() {
    this(MatrixFactorization.Settings.compact());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public QualityModel fit(TrainingSet data) {
    int n = data.size();
    int m = data.candidates().size();
    if (n == 0) {
      throw new IllegalArgumentException("mf needs at least one training prompt");
    }
    double[][] x = new double[n][];
    List<MatrixFactorization.Preference> preferences = new ArrayList<>();
    double[][] y = data.correct();
    for (int i = 0; i < n; i++) {
      x[i] = data.features().get(i).vector();
      for (int a = 0; a < m; a++) {
        if (Double.isNaN(y[i][a])) {
          continue;
        }
        preferences.add(y[i][a] == 1 ? new MatrixFactorization.Preference(i, a, m)
            : new MatrixFactorization.Preference(i, m, a));
        for (int b = a + 1; b < m; b++) {
          if (!Double.isNaN(y[i][b]) && y[i][a] != y[i][b]) {
            preferences.add(y[i][a] == 1 ? new MatrixFactorization.Preference(i, a, b)
                : new MatrixFactorization.Preference(i, b, a));
          }
        }
      }
    }
    if (preferences.isEmpty()) {
      throw new IllegalArgumentException("mf needs at least one known label");
    }
    return new Model(MatrixFactorization.fit(x, m + 1, preferences, settings));
  }

  static QualityModel read(DataInputStream in) throws IOException {
    ModelStreams.readHeader(in, NAME, 1);
    return new Model(MatrixFactorization.read(in));
  }

  private record Model(MatrixFactorization mf) implements QualityModel {

    @Override
    public double[] predict(PromptFeatures f) {
      double[] x = f.vector();
      int bar = mf.models() - 1;
      double[] p = new double[bar];
      for (int c = 0; c < bar; c++) {
        p[c] = Math.clamp(mf.winRate(c, bar, x), EPSILON, 1 - EPSILON);
      }
      return p;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      ModelStreams.writeHeader(out, NAME, 1);
      mf.write(out);
    }

    @Override
    public String learner() {
      return NAME;
    }
  }
}
