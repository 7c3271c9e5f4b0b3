package dev.effort.core.resilience;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a failed call to one provider is tried again: up to {@code
 * maxRetries} more times, waiting an exponentially growing, jittered delay from {@code base} up to
 * {@code max}, or what the upstream's {@code retry-after} asked when it is longer.
 */
public record RetryPolicy(int maxRetries, Duration base, Duration max) {
  /** Two retries, from 250 ms, at most 8 s apart. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ofMillis(250), Duration.ofSeconds(8));

  public RetryPolicy {
    if (maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException("retry: max_retries must be within 0..10");
    }
    if (base.isNegative() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("retry: backoff_base_ms must be at least 0 and backoff_max_ms at least it");
    }
  }

  /**
   * The wait before retry number {@code retry} (0 for the first): half of {@code base·2^retry}
   * (at most {@code max}) plus a random share of the other half, so that clients that failed
   * together do not return together; at least the upstream's {@code retry-after}.
   */
  public Duration delay(int retry, Optional<Duration> retryAfter) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(retry, 20));
    long jittered = ceiling / 2 + (ceiling < 2 ? 0 : ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1));
    Duration d = Duration.ofMillis(jittered);
    return retryAfter.filter(r -> r.compareTo(d) > 0).orElse(d);
  }
}
