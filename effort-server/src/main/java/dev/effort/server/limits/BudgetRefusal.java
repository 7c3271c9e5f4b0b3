package dev.effort.server.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * A request the key cannot afford: which budget ran short, how much is left, what the request
 * might cost, and when the budget is whole again. {@link #message()} is written for the client.
 */
public record BudgetRefusal(
    String keyId, BudgetPeriod period, double limitUsd, double remainingUsd, double requestedUsd, Instant resetsAt)
    implements BudgetDecision, EffortFit {

  public String message() {
    return "The " + period.adjective() + " budget of key " + keyId + " (" + usd(limitUsd) + ") has "
        + usd(remainingUsd) + " left; this request may cost up to " + usd(requestedUsd)
        + ". It resets at " + resetsAt + ". Lower the effort or max_tokens, or wait.";
  }

  /** Time until the budget resets, for a {@code retry-after} header. */
  public Duration retryAfter(Instant now) {
    Duration d = Duration.between(now, resetsAt);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Dollars with cents, and sub-cent digits only when they matter ({@code $5.00}, {@code $0.0042}). */
  static String usd(double amount) {
    BigDecimal d = BigDecimal.valueOf(amount).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return "$" + (d.scale() < 2 ? d.setScale(2, RoundingMode.UNNECESSARY) : d).toPlainString();
  }
}
