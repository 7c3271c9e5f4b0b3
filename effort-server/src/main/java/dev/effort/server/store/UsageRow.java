package dev.effort.server.store;

/**
 * Totals of one group of ledger entries.
 *
 * @param group the key's name, the day ({@code 2026-11-29}), the level or the models; {@code (none)}
 *     for entries without one
 * @param errors requests answered with a status of 400 or more
 * @param p50LatencyMs median total latency (mean of the two middle values for an even count)
 */
public record UsageRow(
    String group,
    long requests,
    long errors,
    long inputTokens,
    long outputTokens,
    long thinkingTokens,
    double costUsd,
    double p50LatencyMs) {

  public static final String NONE = "(none)";
}
