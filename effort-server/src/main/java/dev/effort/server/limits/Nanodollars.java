package dev.effort.server.limits;

/**
 * Budgets count in billionths of a dollar, as longs: sums of doubles drift, and a budget that must
 * hold to the cent under thousands of holds and settles cannot afford drift.
 */
final class Nanodollars {
  static final long PER_USD = 1_000_000_000L;

  private Nanodollars() {}

  /** A limit: infinite means none ({@link Long#MAX_VALUE}). */
  static long limit(double usd) {
    return Double.isInfinite(usd) ? Long.MAX_VALUE : Math.round(usd * PER_USD);
  }

  /** A worst case is rounded up, so the hold is never below it. */
  static long hold(double usd) {
    requireCost(usd);
    return (long) Math.ceil(usd * PER_USD);
  }

  /** A real cost is rounded to the nearest nanodollar. */
  static long cost(double usd) {
    requireCost(usd);
    return Math.round(usd * PER_USD);
  }

  static double usd(long nanos) {
    return (double) nanos / PER_USD;
  }

  private static void requireCost(double usd) {
    if (!Double.isFinite(usd) || usd < 0) {
      throw new IllegalArgumentException("a cost must be a finite, non-negative number of US dollars, not " + usd);
    }
  }
}
