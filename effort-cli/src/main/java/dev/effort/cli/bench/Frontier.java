package dev.effort.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Summary figures of a data set's quality/cost frontier.
 *
 * <p>AUC: the mean, over budgets spaced evenly on a log scale from the cost of {@code low} to the
 * cost of {@code max}, of the best accuracy a curve reaches at that cost or less; below its
 * cheapest point a curve falls back to {@code low}. The random baseline mixes {@code low} and
 * {@code max}, so it reaches every point of the straight line between them.
 *
 * @param levelsAuc AUC of the fixed levels
 * @param autoAuc AUC of the auto rows
 * @param randomAuc AUC of the random mix of low and max
 * @param oracleSavingsCaptured (cost of max − cost of auto) ÷ (cost of max − cost of oracle), for
 *     the cheapest auto row at least as accurate as max; null when none is
 * @param note how the savings figure was made, or why it is missing
 */
public record Frontier(Double levelsAuc, Double autoAuc, Double randomAuc, Double oracleSavingsCaptured, String note) {
  static final int BUDGETS = 200;

  record Point(double cost, double accuracy) {}

  static Frontier of(List<BenchRow> rows) {
    BenchRow low = find(rows, "level", "low");
    BenchRow max = find(rows, "level", "max");
    BenchRow oracle = find(rows, "oracle", "oracle");
    List<BenchRow> autos = rows.stream().filter(r -> r.kind().equals("auto") && r.measured()).toList();
    if (low == null || max == null || !low.measured() || !max.measured() || autos.isEmpty()) {
      return null;
    }
    Point lowPoint = new Point(low.costPer1kUsd(), low.accuracy());
    Point maxPoint = new Point(max.costPer1kUsd(), max.accuracy());
    List<Point> levels = points(rows.stream().filter(r -> r.kind().equals("level") && r.measured()).toList());
    List<Point> auto = points(autos);
    double levelsAuc = auc(levels, lowPoint, maxPoint);
    double autoAuc = auc(auto, lowPoint, maxPoint);
    double randomAuc = randomAuc(lowPoint, maxPoint);

    BenchRow cheapestAtMax = autos.stream()
        .filter(r -> r.accuracy() >= max.accuracy())
        .min(Comparator.comparingDouble(BenchRow::costPer1kUsd))
        .orElse(null);
    if (cheapestAtMax == null) {
      BenchRow best = autos.stream().max(Comparator.comparingDouble(BenchRow::accuracy)).orElseThrow();
      return new Frontier(levelsAuc, autoAuc, randomAuc, null, String.format(java.util.Locale.ROOT,
          "no auto row reached max's accuracy %.3f (best: %s at %.3f)", max.accuracy(), best.name(), best.accuracy()));
    }
    double saved = max.costPer1kUsd() - cheapestAtMax.costPer1kUsd();
    double possible = oracle == null || !oracle.measured() ? Double.NaN : max.costPer1kUsd() - oracle.costPer1kUsd();
    Double captured = Double.isNaN(possible) || possible <= 0 ? null : saved / possible;
    return new Frontier(levelsAuc, autoAuc, randomAuc, captured,
        "measured at " + cheapestAtMax.name() + ", the cheapest auto row at least as accurate as max");
  }

  /** Accuracy of the random mix of low and max that costs {@code cost}. */
  static double randomAccuracy(Point low, Point max, double cost) {
    if (max.cost() <= low.cost()) {
      return max.accuracy();
    }
    double share = Math.max(0, Math.min(1, (cost - low.cost()) / (max.cost() - low.cost())));
    return low.accuracy() + share * (max.accuracy() - low.accuracy());
  }

  private static double auc(List<Point> curve, Point low, Point max) {
    double sum = 0;
    for (double budget : budgets(low, max)) {
      double best = low.accuracy();
      for (Point p : curve) {
        if (p.cost() <= budget * (1 + 1e-9)) {
          best = Math.max(best, p.accuracy());
        }
      }
      sum += best;
    }
    return sum / BUDGETS;
  }

  private static double randomAuc(Point low, Point max) {
    double sum = 0;
    for (double budget : budgets(low, max)) {
      sum += randomAccuracy(low, max, budget);
    }
    return sum / BUDGETS;
  }

  private static double[] budgets(Point low, Point max) {
    double from = Math.log(Math.max(low.cost(), 1e-12));
    double to = Math.log(Math.max(max.cost(), low.cost() * (1 + 1e-9)));
    double[] b = new double[BUDGETS];
    for (int i = 0; i < BUDGETS; i++) {
      b[i] = Math.exp(from + (to - from) * i / (BUDGETS - 1));
    }
    return b;
  }

  private static List<Point> points(List<BenchRow> rows) {
    List<Point> points = new ArrayList<>();
    rows.forEach(r -> points.add(new Point(r.costPer1kUsd(), r.accuracy())));
    return points;
  }

  private static BenchRow find(List<BenchRow> rows, String kind, String name) {
    return rows.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst().orElse(null);
  }
}
