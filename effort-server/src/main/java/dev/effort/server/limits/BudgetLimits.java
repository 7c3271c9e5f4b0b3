package dev.effort.server.limits;

/**
 * A key's spending limits in US dollars. {@link Double#POSITIVE_INFINITY} means no limit, so a
 * key with only a monthly budget is {@code BudgetLimits.monthly(100)}.
 */
public record BudgetLimits(double dailyUsd, double monthlyUsd) {
  public static final BudgetLimits NONE = new BudgetLimits(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

  public BudgetLimits {
    requireValid("daily", dailyUsd);
    requireValid("monthly", monthlyUsd);
  }

  public static BudgetLimits daily(double usd) {
    return new BudgetLimits(usd, Double.POSITIVE_INFINITY);
  }

  public static BudgetLimits monthly(double usd) {
    return new BudgetLimits(Double.POSITIVE_INFINITY, usd);
  }

  /** The limit for {@code period}; infinite when the key has none. */
  public double of(BudgetPeriod period) {
    return period == BudgetPeriod.DAY ? dailyUsd : monthlyUsd;
  }

  private static void requireValid(String name, double usd) {
    if (Double.isNaN(usd) || usd < 0) {
      throw new IllegalArgumentException(
          name + " budget must be a non-negative number of US dollars (or infinite for none), not " + usd);
    }
  }
}
