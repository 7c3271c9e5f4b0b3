package dev.effort.core.resilience;

import java.time.Duration;

/**
 * When a deployment's circuit opens, and for how long: over the last {@code window} calls (once
 * there are at least {@code minCalls}), a share of failures of at least {@code failureRate}, or a
 * share of calls slower than {@code slowCall} of at least {@code slowCallRate}. After {@code
 * openFor}, {@code halfOpenProbes} calls may try it: a share of failures among them of at least
 * {@code failureRate} opens it again, else it closes.
 */
public record BreakerSettings(
    int window, int minCalls, double failureRate, Duration slowCall, double slowCallRate, Duration openFor,
    int halfOpenProbes) {

  /**
   * Half of the last 50 calls failing (at least 20 seen), or 80% slower than 60 s; open for 30 s,
   * then 3 probes. A window this wide keeps a deployment whose requests fail now and then for their
   * own reasons (a malformed answer, a reset) from being shut out by a short unlucky run.
   */
  public static final BreakerSettings DEFAULT =
      new BreakerSettings(50, 20, 0.5, Duration.ofSeconds(60), 0.8, Duration.ofSeconds(30), 3);

  public BreakerSettings {
    if (window < 1 || minCalls < 1 || minCalls > window) {
      throw new IllegalArgumentException("breaker: window must be at least 1 and min_calls within 1.." + window);
    }
    if (!(failureRate > 0 && failureRate <= 1) || !(slowCallRate > 0 && slowCallRate <= 1)) {
      throw new IllegalArgumentException("breaker: failure_rate and slow_call_rate are shares in (0, 1]");
    }
    if (slowCall.isNegative() || slowCall.isZero() || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException("breaker: slow_call_ms and open_ms must be positive");
    }
    if (halfOpenProbes < 1) {
      throw new IllegalArgumentException("breaker: half_open_probes must be at least 1");
    }
  }
}
