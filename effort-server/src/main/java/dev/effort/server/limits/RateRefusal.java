package dev.effort.server.limits;

import java.time.Duration;

/** A request over a key's rate limit: which one, and when to try again. */
public record RateRefusal(String keyId, Limit limit, long perMinute, Duration retryAfter) implements RateDecision {

  /** The two allowances a key has per minute. */
  public enum Limit {
    REQUESTS("requests"),
    TOKENS("tokens");

    private final String noun;

    Limit(String noun) {
      this.noun = noun;
    }
  }

  /** Whole seconds, rounded up and at least 1: the value of the {@code retry-after} header. */
  public long retryAfterSeconds() {
    return RetryAfter.seconds(retryAfter);
  }

  public String message() {
    return "Key " + keyId + " is over its limit of " + perMinute + " " + limit.noun
        + " per minute; retry after " + retryAfterSeconds() + " s.";
  }
}
