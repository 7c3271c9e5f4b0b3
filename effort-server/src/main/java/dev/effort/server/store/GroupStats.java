package dev.effort.server.store;

/**
 * What the ledger holds about one group of requests in a time window, for the dashboard.
 *
 * @param group the level, the models called (comma-separated), the plan, or the key's id; {@code (none)} for rows without one
 * @param errors rows answered with a status of 400 or more
 * @param downgrades rows whose level was lowered (a downgrade reason is recorded)
 * @param p50LatencyMs median total latency of the answered rows (status below 400), null when none was
 * @param p95LatencyMs 95th percentile (nearest rank) of the same, null when none was
 * @param p50TtftMs median time to first token of the rows that have one, null when none has
 * @param p95TtftMs 95th percentile (nearest rank) of the same
 */
public record GroupStats(
    String group,
    long requests,
    long errors,
    long downgrades,
    long inputTokens,
    long outputTokens,
    long thinkingTokens,
    double costUsd,
    Double p50LatencyMs,
    Double p95LatencyMs,
    Double p50TtftMs,
    Double p95TtftMs) {}
