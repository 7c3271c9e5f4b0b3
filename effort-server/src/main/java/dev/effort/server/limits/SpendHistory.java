package dev.effort.server.limits;

import java.time.Instant;

/**
 * Durable record of what a key has spent (the ledger implements it). Budgets read it once per key,
 * on first use, so a restarted node does not forget the day's spending.
 */
@FunctionalInterface
public interface SpendHistory {
  /** Spending of {@code keyId} recorded at or after {@code since}, US dollars. */
  double spentUsd(String keyId, Instant since);

  /** For a fresh install or tests: nothing was spent before. */
  SpendHistory NONE = (keyId, since) -> 0;
}
