package dev.effort.router;

import dev.effort.core.EscalationFormat;
import dev.effort.core.Escalation;
import dev.effort.core.EscalationSignals;
import dev.effort.core.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Learns escalate plans from recorded answers: per gate, an L2-regularized logistic regression of
 * whether the answer that would stand is good, on the run-time signals after that stage; then,
 * per quality target, the thresholds that reach the target at the least cost, chosen on
 * out-of-fold scores (k-fold cross-validation) so that calibration never sees a score of a model
 * trained on the same prompt.
 *
 * @param stages model ids per stage, cheapest first; the last stage's single model is the reference
 * @param targets shares of the reference's accuracy, one plan each (none where that plan would cost
 *     at least the reference's mean cost on the training prompts)
 * @param l2 penalty on the squared weights
 */
public record EscalationTraining(List<List<String>> stages, List<Double> targets, double l2) {
  static final int FOLDS = 5;
  private static final int NEWTON_STEPS = 25;
  /** A threshold no score reaches (scores are probabilities). */
  static final double NEVER = 1.01;
  /** Accept thresholds tried per gate; {@link #NEVER}: the gate never accepts. */
  static final double[] THRESHOLDS = thresholdGrid();
  /** Skip thresholds tried: never skip, skip when unlikely, always skip the middle stages. */
  static final double[] SKIPS = {0, 0.3, 0.5, 0.7, NEVER};

  public EscalationTraining {
    stages = stages.stream().map(List::copyOf).toList();
    targets = List.copyOf(targets);
    if (stages.size() < 2) {
      throw new IllegalArgumentException("an escalation needs at least two stages, got " + stages);
    }
  }

  /**
   * The trained plans and their out-of-fold outcomes on the training rows: what each plan got
   * right and paid on a prompt when its gates were fitted without that prompt.
   */
  public record Result(List<Plan> plans, double[][] correct, double[][] costUsd, double[][] latencyMs) {}

  public Result train(ModelAnswers data, long seed) {
    int n = data.size();
    int gates = stages.size() - 1;
    int[][] columns = columns(data);
    // Per row and stage: the signals, which answer would stand, and whether it is good.
    double[][][] x = new double[gates][n][];
    double[][] label = new double[gates][n];
    int[][] chosenColumn = new int[stages.size()][n];
    for (int i = 0; i < n; i++) {
      List<String> answers = new ArrayList<>();
      for (int s = 0; s < stages.size(); s++) {
        for (int c : columns[s]) {
          answers.add(data.texts()[i][c]);
        }
        int chosen = s < gates ? -1 : lastAnswered(answers, columns[s].length);
        if (chosen < 0) {
          chosen = EscalationSignals.chosen(data.prompts().get(i), answers);
        }
        chosenColumn[s][i] = chosen < 0 ? -1 : flat(columns)[chosen];
        if (s < gates) {
          x[s][i] = EscalationSignals.vector(data.prompts().get(i), answers);
          label[s][i] = chosen < 0 ? 0 : data.correct()[i][chosenColumn[s][i]];
        }
      }
    }
    // Out-of-fold scores for calibration, then the gates fitted on every row.
    int[] fold = Folds.assign(n, Math.min(FOLDS, n), seed);
    double[][] score = new double[gates][n];
    for (int k = 0; k < Math.min(FOLDS, n); k++) {
      for (int s = 0; s < gates; s++) {
        double[] w = fit(x[s], label[s], fold, k);
        for (int i = 0; i < n; i++) {
          if (fold[i] == k) {
            score[s][i] = sigmoid(dot(w, x[s][i]));
          }
        }
      }
    }
    List<List<Double>> weights = new ArrayList<>();
    for (int s = 0; s < gates; s++) {
      weights.add(Arrays.stream(fit(x[s], label[s], fold, -1)).boxed().toList());
    }
    double[][] stageCost = new double[stages.size()][n];
    double[][] stageLatency = new double[stages.size()][n];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < stages.size(); s++) {
        for (int c : columns[s]) {
          stageCost[s][i] += nanToZero(data.costUsd()[i][c]);
          stageLatency[s][i] = Math.max(stageLatency[s][i], nanToZero(data.latencyMs()[i][c]));
        }
      }
    }
    Outcomes sim = new Outcomes(score, chosenColumn, data.correct(), stageCost, stageLatency);

    // Thresholds per format, each calibrated on the prompts of that format alone.
    int formats = EscalationFormat.values().length;
    int[] format = data.prompts().stream().mapToInt(p -> EscalationFormat.of(p).ordinal()).toArray();
    List<List<Sweep>> sweeps = new ArrayList<>();
    double[] referenceAccuracy = new double[formats];
    for (int f = 0; f < formats; f++) {
      int ff = f;
      int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> format[i] == ff).toArray();
      sweeps.add(rows.length == 0 ? List.of() : sim.sweep(rows, gates));
      referenceAccuracy[f] = mean(Arrays.stream(rows).mapToDouble(i -> data.correct()[i][columns[stages.size() - 1][0]]).toArray());
    }
    List<Plan> plans = new ArrayList<>();
    List<double[][]> outcomes = new ArrayList<>();
    int reference = columns[stages.size() - 1][0];
    double referenceCost = mean(Arrays.stream(data.costUsd()).mapToDouble(row -> nanToZero(row[reference])).toArray());
    for (int t = 0; t < targets.size(); t++) {
      Sweep[] chosen = new Sweep[formats];
      for (int f = 0; f < formats; f++) {
        chosen[f] = sweeps.get(f).isEmpty() ? Sweep.straightToLast(gates) : cheapestReaching(sweeps.get(f), targets.get(t) * referenceAccuracy[f]);
      }
      List<Escalation.Gate> gateList = new ArrayList<>();
      for (int g = 0; g < gates; g++) {
        List<Double> accept = new ArrayList<>();
        List<Double> skip = new ArrayList<>();
        for (int f = 0; f < formats; f++) {
          accept.add(chosen[f].accept()[g]);
          skip.add(chosen[f].skip()[g]);
        }
        gateList.add(new Escalation.Gate(weights.get(g), accept, skip));
      }
      double[][] o = new double[n][];
      for (int i = 0; i < n; i++) {
        o[i] = sim.run(i, chosen[format[i]].accept(), chosen[format[i]].skip());
      }
      // A plan that costs at least as much as the reference on these prompts is dominated by it: not a candidate.
      if (mean(Arrays.stream(o).mapToDouble(r -> r[1]).toArray()) >= referenceCost) {
        continue;
      }
      plans.add(Plan.escalate(stages, gateList, String.format(Locale.ROOT, "%.2f x max", targets.get(t))));
      outcomes.add(o);
    }
    double[][] correct = new double[n][plans.size()];
    double[][] cost = new double[n][plans.size()];
    double[][] latency = new double[n][plans.size()];
    for (int p = 0; p < plans.size(); p++) {
      for (int i = 0; i < n; i++) {
        correct[i][p] = outcomes.get(p)[i][0];
        cost[i][p] = outcomes.get(p)[i][1];
        latency[i][p] = outcomes.get(p)[i][2];
      }
    }
    return new Result(plans, correct, cost, latency);
  }

  /**
   * Replays the gates' decisions on recorded outcomes, as {@link Escalation#decide} makes them:
   * per stage and row, the out-of-fold score, the column of the answer that would stand, and what
   * the stage cost and took.
   */
  private record Outcomes(double[][] score, int[][] chosen, double[][] correct, double[][] stageCost, double[][] stageLatency) {

    /** {correct, cost, latency} of row i under these per-gate thresholds. */
    double[] run(int i, double[] accept, double[] skip) {
      double cost = 0;
      double latency = 0;
      int last = stageCost.length - 1;
      int s = 0;
      while (true) {
        cost += stageCost[s][i];
        latency += stageLatency[s][i];
        if (s == last || (chosen[s][i] >= 0 && score[s][i] >= accept[s])) {
          int c = chosen[s][i];
          return new double[] {c < 0 ? 0 : correct[i][c], cost, latency};
        }
        s = chosen[s][i] < 0 || score[s][i] < skip[s] ? last : s + 1;
      }
    }

    /** Accuracy and mean cost over {@code rows} at every combination of grid thresholds. */
    List<Sweep> sweep(int[] rows, int gates) {
      List<Sweep> all = new ArrayList<>();
      // Per gate: accept from the grid; skip from a coarse grid, except at the last gate (it leads to the last stage anyway).
      int[] sizes = new int[2 * gates];
      for (int g = 0; g < gates; g++) {
        sizes[2 * g] = THRESHOLDS.length;
        sizes[2 * g + 1] = g < gates - 1 ? SKIPS.length : 1;
      }
      int[] index = new int[2 * gates];
      while (true) {
        double[] accept = new double[gates];
        double[] skip = new double[gates];
        for (int g = 0; g < gates; g++) {
          accept[g] = THRESHOLDS[index[2 * g]];
          skip[g] = g < gates - 1 ? SKIPS[index[2 * g + 1]] : 0;
        }
        double sumCorrect = 0;
        int known = 0;
        double sumCost = 0;
        for (int i : rows) {
          double[] o = run(i, accept, skip);
          if (!Double.isNaN(o[0])) {
            sumCorrect += o[0];
            known++;
          }
          sumCost += o[1];
        }
        all.add(new Sweep(accept, skip, known == 0 ? 0 : sumCorrect / known, sumCost / rows.length));
        int k = 0;
        while (k < index.length && ++index[k] == sizes[k]) {
          index[k++] = 0;
        }
        if (k == index.length) {
          return all;
        }
      }
    }
  }

  private record Sweep(double[] accept, double[] skip, double accuracy, double costUsd) {
    /** For a format without training prompts: straight to the last stage, the reference. */
    static Sweep straightToLast(int gates) {
      double[] never = new double[gates];
      Arrays.fill(never, NEVER);
      return new Sweep(never, never.clone(), Double.NaN, Double.NaN);
    }
  }

  /** The thresholds of least mean cost whose accuracy reaches {@code bar}; if none does, the most accurate. */
  private static Sweep cheapestReaching(List<Sweep> sweep, double bar) {
    return sweep.stream()
        .filter(w -> w.accuracy() >= bar - 1e-12)
        .min(java.util.Comparator.comparingDouble(Sweep::costUsd))
        .or(() -> sweep.stream().max(java.util.Comparator.comparingDouble(Sweep::accuracy)))
        .orElseThrow();
  }

  /** Newton's method on the L2-penalized log-loss (bias included: the vectors hold one per format block), rows with an unknown label left out. */
  private double[] fit(double[][] x, double[] y, int[] fold, int heldOut) {
    int p = x[0].length;
    double[] w = new double[p];
    for (int step = 0; step < NEWTON_STEPS; step++) {
      double[] grad = new double[p];
      double[][] hess = new double[p][p];
      for (int j = 0; j < p; j++) {
        grad[j] = l2 * w[j];
        hess[j][j] = l2;
      }
      for (int i = 0; i < x.length; i++) {
        if (fold[i] == heldOut || Double.isNaN(y[i])) {
          continue;
        }
        double q = sigmoid(dot(w, x[i]));
        double r = q * (1 - q);
        for (int a = 0; a < p; a++) {
          if (x[i][a] == 0) {
            continue;
          }
          grad[a] += (q - y[i]) * x[i][a];
          for (int b = 0; b < p; b++) {
            hess[a][b] += r * x[i][a] * x[i][b];
          }
        }
      }
      double[] delta = solve(hess, grad);
      double size = 0;
      for (int j = 0; j < p; j++) {
        w[j] -= delta[j];
        size = Math.max(size, Math.abs(delta[j]));
      }
      if (size < 1e-8) {
        break;
      }
    }
    return w;
  }

  /** Gaussian elimination with partial pivoting; the penalty keeps the matrix positive definite. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      double[] t = m[c];
      m[c] = m[pivot];
      m[pivot] = t;
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / m[c][c];
        for (int k = c; k <= n; k++) {
          m[r][k] -= f * m[c][k];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = m[r][n];
      for (int k = r + 1; k < n; k++) {
        s -= m[r][k] * x[k];
      }
      x[r] = s / m[r][r];
    }
    return x;
  }

  private int[][] columns(ModelAnswers data) {
    return stages.stream().map(stage -> stage.stream().mapToInt(data::column).toArray()).toArray(int[][]::new);
  }

  private static int[] flat(int[][] columns) {
    return Arrays.stream(columns).flatMapToInt(Arrays::stream).toArray();
  }

  /** As {@link Escalation#decide} after the last stage: its latest answer, else the chosen one before. */
  private static int lastAnswered(List<String> answers, int lastStageSize) {
    for (int i = answers.size() - 1; i >= answers.size() - lastStageSize; i--) {
      if (answers.get(i) != null) {
        return i;
      }
    }
    return -1;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] thresholdGrid() {
    double[] g = new double[52];
    for (int i = 0; i <= 50; i++) {
      g[i] = Math.round((0.5 + i * 0.01) * 100) / 100.0;
    }
    g[51] = NEVER;
    return g;
  }
}
