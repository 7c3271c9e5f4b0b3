package dev.effort.router;

import dev.effort.core.Estimate;
import dev.effort.core.Plan;
import dev.effort.core.RouteChoice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How routing performs at each threshold, measured on out-of-fold predictions: for a threshold
 * τ, each prompt goes to the cheapest candidate whose predicted quality is at least τ times the
 * reference's (the {@link RouteChoice} rule), and the candidate's recorded outcome is counted.
 * {@link #threshold(double)} then picks the cheapest τ that reaches a quality target.
 *
 * @param thresholds the τ grid, rising
 * @param accuracy routed accuracy at each τ
 * @param costUsd mean routed cost at each τ
 * @param referenceAccuracy accuracy of always taking the reference plan
 */
public record Calibration(double[] thresholds, double[] accuracy, double[] costUsd, double referenceAccuracy) {
  static final double[] GRID = grid(0.50, 1.10, 0.005);

  public Calibration {
    if (thresholds.length == 0 || thresholds.length != accuracy.length || thresholds.length != costUsd.length) {
      throw new IllegalArgumentException("calibration arrays must be non-empty and of one length");
    }
  }

  /**
   * The cheapest threshold whose routed accuracy reaches {@code target} times the reference's; if
   * none does, the most accurate one.
   */
  public double threshold(double target) {
    int best = -1;
    for (int i = 0; i < thresholds.length; i++) {
      if (accuracy[i] >= target * referenceAccuracy - 1e-12 && (best < 0 || costUsd[i] < costUsd[best])) {
        best = i;
      }
    }
    if (best < 0) {
      best = 0;
      for (int i = 1; i < thresholds.length; i++) {
        if (accuracy[i] > accuracy[best]) {
          best = i;
        }
      }
    }
    return thresholds[best];
  }

  /**
   * Measures routing at every τ of the grid.
   *
   * @param quality predicted quality per prompt and candidate (out of fold)
   * @param cost predicted cost per prompt and candidate (out of fold)
   * @param latencyMs predicted latency per prompt and candidate (out of fold)
   */
  static Calibration measure(
      TrainingSet data, List<Plan> candidates, int reference, double[][] quality, double[][] cost, double[][] latencyMs) {
    double[] accuracy = new double[GRID.length];
    double[] meanCost = new double[GRID.length];
    for (int t = 0; t < GRID.length; t++) {
      int[] chosen = route(candidates, reference, GRID[t], quality, cost, latencyMs);
      accuracy[t] = accuracy(data, chosen);
      meanCost[t] = meanCost(data, chosen);
    }
    int[] always = new int[data.size()];
    java.util.Arrays.fill(always, reference);
    return new Calibration(GRID.clone(), accuracy, meanCost, accuracy(data, always));
  }

  /** The candidate each prompt is routed to at threshold τ. */
  static int[] route(List<Plan> candidates, int reference, double threshold, double[][] quality, double[][] cost, double[][] latencyMs) {
    int[] chosen = new int[quality.length];
    for (int i = 0; i < quality.length; i++) {
      List<Estimate> estimates = new ArrayList<>(candidates.size());
      for (int c = 0; c < candidates.size(); c++) {
        estimates.add(new Estimate(candidates.get(c), quality[i][c], cost[i][c], Duration.ofNanos((long) (latencyMs[i][c] * 1e6))));
      }
      Estimate pick = RouteChoice.choose(estimates, candidates.get(reference), threshold, Optional.empty(), Optional.empty()).chosen();
      chosen[i] = estimates.indexOf(pick);
    }
    return chosen;
  }

  /** Recorded accuracy of the chosen candidates; prompts whose outcome is unknown are skipped. */
  static double accuracy(TrainingSet data, int[] chosen) {
    double correct = 0;
    int known = 0;
    for (int i = 0; i < chosen.length; i++) {
      double y = data.correct()[i][chosen[i]];
      if (!Double.isNaN(y)) {
        correct += y;
        known++;
      }
    }
    return known == 0 ? Double.NaN : correct / known;
  }

  static double meanCost(TrainingSet data, int[] chosen) {
    double sum = 0;
    for (int i = 0; i < chosen.length; i++) {
      sum += data.costUsd()[i][chosen[i]];
    }
    return sum / chosen.length;
  }

  private static double[] grid(double from, double to, double step) {
    int n = (int) Math.round((to - from) / step) + 1;
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = Math.round((from + i * step) * 1000) / 1000.0;
    }
    return g;
  }
}
