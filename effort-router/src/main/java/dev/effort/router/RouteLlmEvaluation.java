package dev.effort.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * RouteLLM's evaluation of a router between a strong and a weak model (Ong et al., 2024), by
 * cross-fitting on the benchmark itself: the prompts are split into k folds and each prompt is
 * scored by a router trained on the other folds only, so no prompt is scored by a router that saw
 * its outcome. A router learns one label, "the strong model's answer is better than the weak
 * one's" (strictly: a tie is no reason to pay for the strong model), and scores a prompt by its
 * chance; the scores of all folds make one {@link PgrCurve}.
 */
public final class RouteLlmEvaluation {

  /** The routers it knows: RouteLLM's matrix factorization and the project's two learners. */
  public static final List<String> ROUTERS = List.of("mf", "knn", "logistic");

  private static final int WEAK = 0;
  private static final int STRONG = 1;

  private RouteLlmEvaluation() {}

  /**
   * A benchmark of one strong/weak pair.
   *
   * @param name e.g. "mmlu"
   * @param features what a router knows of each prompt
   * @param strong quality of the strong model's answer to each prompt (1/0, or a judge's score)
   * @param weak quality of the weak model's answer to each prompt
   */
  public record Benchmark(String name, List<PromptFeatures> features, double[] strong, double[] weak) {

    public Benchmark {
      features = List.copyOf(features);
      strong = strong.clone();
      weak = weak.clone();
      if (strong.length != features.size() || weak.length != features.size()) {
        throw new IllegalArgumentException("need one strong and one weak quality per prompt");
      }
    }

    public int size() {
      return features.size();
    }

    /** 1 where the strong model's answer is strictly better, else 0. */
    public double[] strongWins() {
      double[] y = new double[size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = strong[i] > weak[i] ? 1 : 0;
      }
      return y;
    }

    public double strongMean() {
      return Arrays.stream(strong).average().orElse(Double.NaN);
    }

    public double weakMean() {
      return Arrays.stream(weak).average().orElse(Double.NaN);
    }
  }

  /**
   * Figures of one router.
   *
   * @param router its name
   * @param apgr average performance gap recovered
   * @param cpt50 CPT(50%), a share of calls (0..1)
   * @param cpt80 CPT(80%)
   */
  public record Figures(String router, double apgr, double cpt50, double cpt80) {
    static Figures of(String router, PgrCurve curve) {
      return new Figures(router, curve.apgr(), curve.cpt(0.5), curve.cpt(0.8));
    }
  }

  /**
   * Figures of random routing over {@code draws} random scorings: the mean and the 2.5% and 97.5%
   * quantiles of each.
   */
  public record RandomFigures(Figures mean, Figures low, Figures high) {}

  /** The cross-fitted figures of {@code router} (one of {@link #ROUTERS}). */
  public static Figures crossFitted(Benchmark benchmark, String router, int folds, long seed,
      MatrixFactorization.Settings mf) {
    return Figures.of(router, PgrCurve.of(outOfFoldScores(benchmark, router, folds, seed, mf),
        benchmark.strong(), benchmark.weak()));
  }

  /** Each prompt's score by the router trained on the other folds. */
  public static double[] outOfFoldScores(Benchmark benchmark, String router, int folds, long seed,
      MatrixFactorization.Settings mf) {
    if (!ROUTERS.contains(router)) {
      throw new IllegalArgumentException("unknown router '" + router + "'; accepted: " + String.join(", ", ROUTERS));
    }
    int n = benchmark.size();
    int[] fold = Folds.assign(n, folds, seed);
    double[] y = benchmark.strongWins();
    double[] score = new double[n];
    for (int k = 0; k < folds; k++) {
      int[] train = RouterTraining.rowsWhere(fold, k, false);
      int[] held = RouterTraining.rowsWhere(fold, k, true);
      if (router.equals("mf")) {
        double[][] x = new double[train.length][];
        List<MatrixFactorization.Preference> preferences = new ArrayList<>(train.length);
        for (int r = 0; r < train.length; r++) {
          x[r] = benchmark.features().get(train[r]).vector();
          preferences.add(y[train[r]] == 1 ? new MatrixFactorization.Preference(r, STRONG, WEAK)
              : new MatrixFactorization.Preference(r, WEAK, STRONG));
        }
        MatrixFactorization model = MatrixFactorization.fit(x, 2, preferences, mf);
        for (int i : held) {
          score[i] = model.winRate(STRONG, WEAK, benchmark.features().get(i).vector());
        }
      } else {
        List<PromptFeatures> features = new ArrayList<>(train.length);
        double[][] label = new double[train.length][];
        for (int r = 0; r < train.length; r++) {
          features.add(benchmark.features().get(train[r]));
          label[r] = new double[] {y[train[r]]};
        }
        double[][] zero = new double[train.length][1];
        QualityModel model = Learners.byName(router).fit(
            new TrainingSet(List.of("strong beats weak"), features, label, zero, zero));
        for (int i : held) {
          score[i] = model.predict(benchmark.features().get(i))[0];
        }
      }
    }
    return score;
  }

  /** Random routing: uniform random scores, {@code draws} times. */
  public static RandomFigures random(Benchmark benchmark, int draws, long seed) {
    Random random = new Random(seed);
    double[][] values = new double[3][draws];
    for (int d = 0; d < draws; d++) {
      PgrCurve curve = PgrCurve.of(random.doubles(benchmark.size()).toArray(), benchmark.strong(), benchmark.weak());
      values[0][d] = curve.apgr();
      values[1][d] = curve.cpt(0.5);
      values[2][d] = curve.cpt(0.8);
    }
    double[] mean = new double[3];
    double[] low = new double[3];
    double[] high = new double[3];
    for (int f = 0; f < 3; f++) {
      double[] v = values[f];
      mean[f] = Arrays.stream(v).average().orElse(Double.NaN);
      Arrays.sort(v);
      low[f] = v[(int) Math.floor(0.025 * (draws - 1))];
      high[f] = v[(int) Math.ceil(0.975 * (draws - 1))];
    }
    return new RandomFigures(new Figures("random", mean[0], mean[1], mean[2]),
        new Figures("random", low[0], low[1], low[2]), new Figures("random", high[0], high[1], high[2]));
  }
}
