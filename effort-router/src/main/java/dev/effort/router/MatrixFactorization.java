package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * RouteLLM's matrix-factorization router (Ong et al., 2024, §4.1): a bilinear score of a model
 * {@code m} on a prompt {@code q},
 *
 * <pre>s(m, q) = w2 · (v̂_m ⊙ (W1 x_q + b))</pre>
 *
 * over a learned embedding {@code v_m} of each model (used at unit length, v̂), a projection
 * {@code W1, b} of the prompt's features {@code x_q} and a classifier {@code w2}; the chance that
 * model {@code a} beats model {@code b} on {@code q} is {@code σ(s(a, q) − s(b, q))}. It is fitted
 * to pairwise preferences ("a beat b on q") by the logistic loss, with Adam, L2 weight decay and
 * Gaussian noise on the prompt's features during training, as RouteLLM's training script does.
 * Deterministic for a given seed.
 */
public final class MatrixFactorization {

  /**
   * How a model is fitted.
   *
   * @param dimensions size of the model embeddings and the projection (RouteLLM: 128)
   * @param epochs passes over the preferences, or more when that many passes would make fewer
   *     than {@code minSteps} Adam steps (a small training set needs more passes)
   * @param learningRate Adam's step size
   * @param weightDecay L2 penalty on every weight, added to the gradient (as torch's Adam does)
   * @param noise standard deviation of the Gaussian noise added to the prompt's embedding while
   *     training (RouteLLM: 0.1)
   * @param batch prompts per Adam step
   * @param minSteps the fewest Adam steps of a fit
   * @param seed of the initial weights, the order of prompts and the noise
   */
  public record Settings(int dimensions, int epochs, double learningRate, double weightDecay, double noise, int batch,
      int minSteps, long seed) {

    public Settings {
      if (dimensions < 1 || epochs < 1 || batch < 1 || minSteps < 0 || !(learningRate > 0) || weightDecay < 0
          || noise < 0) {
        throw new IllegalArgumentException("matrix factorization needs dimensions, epochs, batch >= 1, learningRate > 0,"
            + " weightDecay >= 0 and noise >= 0; got " + this);
      }
    }

    /**
     * RouteLLM's settings (dimension 128, weight decay 1e-5, batch 64, noise 0.1) with a larger
     * step and fewer epochs (3e-3 for 20 epochs, at least 1,000 steps, instead of 3e-4 for 100
     * epochs): the data here are tens to thousands of prompts, not Arena's 65,000 battles, and
     * training must take seconds.
     */
    public static Settings routeLlm() {
      return new Settings(128, 20, 3e-3, 1e-5, 0.1, 64, 1000, 20240626L);
    }

    /**
     * A smaller factorization for {@code effort tune}, which fits a learner some thirty times
     * (cross-fitting and calibration): dimension 32 and at least 300 steps, else as {@link #routeLlm}.
     */
    public static Settings compact() {
      return new Settings(32, 20, 3e-3, 1e-5, 0.1, 64, 300, 20240626L);
    }

    public Settings withEpochs(int epochs, int minSteps) {
      return new Settings(dimensions, epochs, learningRate, weightDecay, noise, batch, minSteps, seed);
    }
  }

  /**
   * One preference: on prompt {@code prompt}, model {@code winner} was preferred to {@code loser}.
   */
  public record Preference(int prompt, int winner, int loser) {}

  private final double[][] models; // [model][dimension], raw; used at unit length
  private final double[][] projection; // [dimension][input]
  private final double[] bias; // [dimension]
  private final double[] classifier; // [dimension]

  private MatrixFactorization(double[][] models, double[][] projection, double[] bias, double[] classifier) {
    this.models = models;
    this.projection = projection;
    this.bias = bias;
    this.classifier = classifier;
  }

  /** Number of models it scores. */
  public int models() {
    return models.length;
  }

  /** Number of prompt features it takes. */
  public int inputs() {
    return projection[0].length;
  }

  /** s(m, q). */
  public double score(int model, double[] x) {
    double[] h = project(x);
    double[] v = unit(models[model]);
    double s = 0;
    for (int d = 0; d < h.length; d++) {
      s += classifier[d] * v[d] * h[d];
    }
    return s;
  }

  /** σ(s(a, q) − s(b, q)): the chance that model {@code a} is preferred to model {@code b} on {@code x}. */
  public double winRate(int a, int b, double[] x) {
    double[] h = project(x);
    double[] va = unit(models[a]);
    double[] vb = unit(models[b]);
    double z = 0;
    for (int d = 0; d < h.length; d++) {
      z += classifier[d] * (va[d] - vb[d]) * h[d];
    }
    return Vectors.sigmoid(z);
  }

  /**
   * Fits a model to preferences.
   *
   * @param x the features of each prompt (all the same length)
   * @param models number of models; preferences name them 0 .. models-1
   * @param preferences who was preferred to whom, on which prompt (a prompt may have none or many)
   */
  public static MatrixFactorization fit(double[][] x, int models, List<Preference> preferences, Settings settings) {
    if (x.length == 0 || preferences.isEmpty()) {
      throw new IllegalArgumentException("matrix factorization needs at least one prompt and one preference");
    }
    int inputs = x[0].length;
    int dims = settings.dimensions();
    Random random = new Random(settings.seed());
    // Initialized as torch does: embeddings N(0, 1), linear layers U(±1/√fan-in).
    double[][] v = new double[models][dims];
    for (double[] row : v) {
      for (int d = 0; d < dims; d++) {
        row[d] = random.nextGaussian();
      }
    }
    double[][] w1 = new double[dims][inputs];
    double bound1 = 1 / Math.sqrt(inputs);
    for (double[] row : w1) {
      for (int i = 0; i < inputs; i++) {
        row[i] = (2 * random.nextDouble() - 1) * bound1;
      }
    }
    double[] b = new double[dims];
    double[] w2 = new double[dims];
    double bound2 = 1 / Math.sqrt(dims);
    for (int d = 0; d < dims; d++) {
      w2[d] = (2 * random.nextDouble() - 1) * bound2;
    }
    MatrixFactorization mf = new MatrixFactorization(v, w1, b, w2);

    List<List<Preference>> byPrompt = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      byPrompt.add(new ArrayList<>());
    }
    for (Preference p : preferences) {
      if (p.prompt() < 0 || p.prompt() >= x.length) {
        throw new IllegalArgumentException("a preference names prompt " + p.prompt() + " of " + x.length);
      }
      if (p.winner() < 0 || p.winner() >= models || p.loser() < 0 || p.loser() >= models || p.winner() == p.loser()) {
        throw new IllegalArgumentException("a preference needs two different models of 0.." + (models - 1) + ", got " + p);
      }
      byPrompt.get(p.prompt()).add(p);
    }
    int[] prompts = java.util.stream.IntStream.range(0, x.length).filter(i -> !byPrompt.get(i).isEmpty()).toArray();
    new Training(mf, settings, random).run(x, byPrompt, prompts);
    return mf;
  }

  /** Adam over every weight; one step a batch of prompts, each prompt's preferences together. */
  private static final class Training {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final MatrixFactorization mf;
    private final Settings settings;
    private final Random random;
    private final Adam[] v;
    private final Adam[] w1;
    private final Adam b;
    private final Adam w2;
    private int step;

    Training(MatrixFactorization mf, Settings settings, Random random) {
      this.mf = mf;
      this.settings = settings;
      this.random = random;
      this.v = Arrays.stream(mf.models).map(row -> new Adam(row.length)).toArray(Adam[]::new);
      this.w1 = Arrays.stream(mf.projection).map(row -> new Adam(row.length)).toArray(Adam[]::new);
      this.b = new Adam(mf.bias.length);
      this.w2 = new Adam(mf.classifier.length);
    }

    void run(double[][] x, List<List<Preference>> byPrompt, int[] prompts) {
      int dims = settings.dimensions();
      int inputs = mf.inputs();
      double[][] gv = new double[mf.models.length][dims];
      double[][] gw1 = new double[dims][inputs];
      double[] gb = new double[dims];
      double[] gw2 = new double[dims];
      double[] noisy = new double[inputs];
      double[] h = new double[dims];
      double[] dh = new double[dims];
      int[] order = prompts.clone();
      int batches = (order.length + settings.batch() - 1) / settings.batch();
      int epochs = Math.max(settings.epochs(), (settings.minSteps() + batches - 1) / batches);
      for (int epoch = 0; epoch < epochs; epoch++) {
        shuffle(order);
        for (int start = 0; start < order.length; start += settings.batch()) {
          int end = Math.min(order.length, start + settings.batch());
          int count = 0;
          for (int k = start; k < end; k++) {
            count += byPrompt.get(order[k]).size();
          }
          double[][] unit = new double[mf.models.length][];
          for (int m = 0; m < unit.length; m++) {
            unit[m] = unit(mf.models[m]);
          }
          double[][] gUnit = new double[mf.models.length][dims];
          for (int k = start; k < end; k++) {
            int q = order[k];
            noisy(x[q], noisy);
            for (int d = 0; d < dims; d++) {
              h[d] = Vectors.dot(mf.projection[d], noisy) + mf.bias[d];
            }
            Arrays.fill(dh, 0);
            for (Preference p : byPrompt.get(q)) {
              double[] a = unit[p.winner()];
              double[] c = unit[p.loser()];
              double z = 0;
              for (int d = 0; d < dims; d++) {
                z += mf.classifier[d] * (a[d] - c[d]) * h[d];
              }
              // d(−log σ(z))/dz, averaged over the batch's preferences
              double dz = (Vectors.sigmoid(z) - 1) / count;
              for (int d = 0; d < dims; d++) {
                dh[d] += dz * mf.classifier[d] * (a[d] - c[d]);
                gw2[d] += dz * (a[d] - c[d]) * h[d];
                double toUnit = dz * mf.classifier[d] * h[d];
                gUnit[p.winner()][d] += toUnit;
                gUnit[p.loser()][d] -= toUnit;
              }
            }
            for (int d = 0; d < dims; d++) {
              if (dh[d] != 0) {
                Vectors.addScaled(gw1[d], dh[d], noisy);
                gb[d] += dh[d];
              }
            }
          }
          // Through the normalization v̂ = v/|v|: dv = (dv̂ − v̂ (v̂·dv̂)) / |v|.
          for (int m = 0; m < unit.length; m++) {
            double norm = Math.sqrt(Vectors.dot(mf.models[m], mf.models[m]));
            double along = Vectors.dot(unit[m], gUnit[m]);
            for (int d = 0; d < dims; d++) {
              gv[m][d] = norm > 0 ? (gUnit[m][d] - unit[m][d] * along) / norm : 0;
            }
          }
          step++;
          for (int m = 0; m < gv.length; m++) {
            v[m].update(mf.models[m], gv[m]);
          }
          for (int d = 0; d < dims; d++) {
            w1[d].update(mf.projection[d], gw1[d]);
            Arrays.fill(gw1[d], 0);
          }
          b.update(mf.bias, gb);
          w2.update(mf.classifier, gw2);
          Arrays.fill(gb, 0);
          Arrays.fill(gw2, 0);
        }
      }
    }

    /** The prompt's features with noise on the embedding part (not on the constant bias input, last). */
    private void noisy(double[] x, double[] out) {
      for (int i = 0; i < x.length; i++) {
        out[i] = i < x.length - 1 && settings.noise() > 0 ? x[i] + settings.noise() * random.nextGaussian() : x[i];
      }
    }

    private void shuffle(int[] a) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }

    /** Adam's moments for one row of weights. */
    private final class Adam {
      final double[] m;
      final double[] s;

      Adam(int n) {
        m = new double[n];
        s = new double[n];
      }

      void update(double[] w, double[] g) {
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        double lr = settings.learningRate();
        double decay = settings.weightDecay();
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + decay * w[i];
          m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
          s[i] = BETA2 * s[i] + (1 - BETA2) * gi * gi;
          w[i] -= lr * (m[i] / c1) / (Math.sqrt(s[i] / c2) + EPSILON);
        }
      }
    }
  }

  private double[] project(double[] x) {
    if (x.length != inputs()) {
      throw new IllegalArgumentException("the model was fitted on " + inputs() + " inputs, the prompt has " + x.length
          + ": its embedding comes from another model");
    }
    double[] h = new double[bias.length];
    for (int d = 0; d < h.length; d++) {
      h[d] = Vectors.dot(projection[d], x) + bias[d];
    }
    return h;
  }

  private static double[] unit(double[] v) {
    double norm = Math.sqrt(Vectors.dot(v, v));
    double[] u = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = norm > 0 ? v[i] / norm : 0;
    }
    return u;
  }

  void write(DataOutputStream out) throws IOException {
    ModelStreams.writeMatrix(out, models);
    ModelStreams.writeMatrix(out, projection);
    ModelStreams.writeDoubles(out, bias);
    ModelStreams.writeDoubles(out, classifier);
  }

  static MatrixFactorization read(DataInputStream in) throws IOException {
    double[][] models = ModelStreams.readMatrix(in);
    double[][] projection = ModelStreams.readMatrix(in);
    double[] bias = ModelStreams.readDoubles(in);
    double[] classifier = ModelStreams.readDoubles(in);
    if (projection.length == 0 || bias.length != projection.length || classifier.length != projection.length
        || Arrays.stream(models).anyMatch(m -> m.length != projection.length)) {
      throw new IOException("corrupt matrix-factorization model: inconsistent dimensions");
    }
    return new MatrixFactorization(models, projection, bias, classifier);
  }
}
