package dev.effort.server.limits;

/**
 * Money held against a key's budgets for one upstream call, at its worst-case cost. Settle it with
 * what the call really cost, or release it if nothing was spent. The first of {@link #settle} and
 * {@link #release} counts and later calls do nothing, so {@code try (reservation) { ...; settle }}
 * cannot leak a hold when the call throws.
 */
public non-sealed interface Reservation extends BudgetDecision, AutoCloseable {
  String keyId();

  /** The amount held, US dollars. */
  double worstCaseUsd();

  /**
   * Replaces the hold with the real cost. A cost above the worst case is recorded as it is (the
   * budget may then be overshot by that difference: money already spent upstream is not refused).
   */
  void settle(double actualUsd);

  /** Drops the hold: the call cost nothing (it failed before reaching a model). */
  void release();

  @Override
  default void close() {
    release();
  }
}
