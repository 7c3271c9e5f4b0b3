package dev.effort.server.limits;

/** What {@link RateLimiter#tryAcquire} answers: go ahead (and settle after), or wait. */
public sealed interface RateDecision permits RatePermit, RateRefusal {}
