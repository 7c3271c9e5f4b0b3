package dev.effort.server.limits;

/**
 * One key's tempo now: requests per second over the last window, its usual rate, the rate above
 * which it is throttled, and whether it is.
 */
public record TempoReading(
    String keyId, boolean agent, double perSecond, double baselinePerSecond, double thresholdPerSecond,
    boolean throttled) {}
