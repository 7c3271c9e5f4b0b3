package dev.effort.server.limits;

/** A request let through; {@link #settle} replaces its estimated tokens with the real count. */
public non-sealed interface RatePermit extends RateDecision {
  /** Tokens taken before the call (the estimate, at most the per-minute allowance). */
  long chargedTokens();

  /**
   * Corrects the charge to {@code actualTokens} (input + output + thinking). Only the first call
   * counts; a request that failed before any tokens were used settles with 0.
   */
  void settle(long actualTokens);
}
