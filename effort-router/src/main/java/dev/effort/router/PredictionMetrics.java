package dev.effort.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well predicted chances match what happened, averaged over candidates (each candidate counts
 * the same, however many labels it has). Unknown (NaN) labels are left out.
 *
 * @param brier mean squared error of the chances; lower is better, 0.25 is a coin flip
 * @param logLoss mean negative log-likelihood; lower is better, 0.693 is a coin flip
 * @param rocAuc chance that a good answer is ranked above a bad one, over candidates with both;
 *     0.5 is no signal; NaN when no candidate has both
 */
public record PredictionMetrics(double brier, double logLoss, double rocAuc) {

  private static final double EPSILON = 1e-15;

  public static PredictionMetrics of(double[][] predicted, double[][] correct) {
    if (predicted.length != correct.length) {
      throw new IllegalArgumentException(predicted.length + " rows of predictions for " + correct.length + " rows of labels");
    }
    int m = correct.length == 0 ? 0 : correct[0].length;
    double brier = 0;
    double logLoss = 0;
    int scored = 0;
    double auc = 0;
    int ranked = 0;
    for (int j = 0; j < m; j++) {
      List<double[]> pairs = new ArrayList<>(); // {prediction, label}
      for (int i = 0; i < correct.length; i++) {
        if (predicted[i].length != m) {
          throw new IllegalArgumentException("row " + i + " has " + predicted[i].length + " predictions for " + m + " candidates");
        }
        if (!Double.isNaN(correct[i][j])) {
          pairs.add(new double[] {predicted[i][j], correct[i][j]});
        }
      }
      if (pairs.isEmpty()) {
        continue;
      }
      double b = 0;
      double l = 0;
      for (double[] pair : pairs) {
        double p = Math.clamp(pair[0], EPSILON, 1 - EPSILON);
        b += (pair[0] - pair[1]) * (pair[0] - pair[1]);
        l -= pair[1] == 1 ? Math.log(p) : Math.log(1 - p);
      }
      brier += b / pairs.size();
      logLoss += l / pairs.size();
      scored++;
      double a = rocAuc(pairs);
      if (!Double.isNaN(a)) {
        auc += a;
        ranked++;
      }
    }
    return new PredictionMetrics(
        scored == 0 ? Double.NaN : brier / scored,
        scored == 0 ? Double.NaN : logLoss / scored,
        ranked == 0 ? Double.NaN : auc / ranked);
  }

  /** Mann–Whitney: the rank sum of the good answers, ties given their mean rank. */
  private static double rocAuc(List<double[]> pairs) {
    double[][] sorted = pairs.toArray(double[][]::new);
    Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
    long good = pairs.stream().filter(p -> p[1] == 1).count();
    long bad = pairs.size() - good;
    if (good == 0 || bad == 0) {
      return Double.NaN;
    }
    double rankSum = 0;
    for (int i = 0; i < sorted.length; ) {
      int end = i;
      while (end + 1 < sorted.length && sorted[end + 1][0] == sorted[i][0]) {
        end++;
      }
      double meanRank = (i + end) / 2.0 + 1;
      for (int t = i; t <= end; t++) {
        if (sorted[t][1] == 1) {
          rankSum += meanRank;
        }
      }
      i = end + 1;
    }
    return (rankSum - good * (good + 1) / 2.0) / ((double) good * bad);
  }
}
