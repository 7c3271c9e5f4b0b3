package dev.effort.router;

import java.util.Random;

/** Splits rows into folds for cross-fitting. */
public final class Folds {
  private Folds() {}

  /**
   * The fold (0 to k-1) of each of {@code n} rows: rows shuffled by {@code seed}, then dealt out in
   * turn, so fold sizes differ by at most one. The same seed gives the same folds on every JVM.
   */
  public static int[] assign(int n, int k, long seed) {
    if (k < 2 || k > n) {
      throw new IllegalArgumentException("cannot split " + n + " rows into " + k + " folds; need 2 <= k <= n");
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[order[i]] = i % k;
    }
    return fold;
  }
}
