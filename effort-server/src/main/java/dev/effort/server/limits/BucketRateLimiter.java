package dev.effort.server.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets (Bucket4j), one for requests and one for tokens per key, in this node's memory:
 * each holds a minute's allowance and refills it smoothly, so a key may burst up to its limit and
 * then goes at the limit's pace. {@link RedisRateLimiter} keeps the same buckets in Redis, so
 * every gateway node sharing that Redis enforces one limit per key.
 */
public final class BucketRateLimiter implements RateLimiter {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final TimeMeter time;
  /** By id: one allowance of one key at one limit. */
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private BucketRateLimiter(TimeMeter time) {
    this.time = time;
  }

  /** Buckets in this node's memory: the embedded default. */
  public static BucketRateLimiter inMemory(Clock clock) {
    return new BucketRateLimiter(timeMeter(clock));
  }

  @Override
  public RateDecision tryAcquire(String keyId, long requestsPerMinute, long tokensPerMinute, long tokens) {
    Objects.requireNonNull(keyId, "keyId");
    if (tokens < 0) {
      throw new IllegalArgumentException("estimated tokens must not be negative, not " + tokens);
    }
    Bucket requests = requestsPerMinute > 0 ? bucket("rpm", keyId, requestsPerMinute) : null;
    Bucket tokenBucket = tokensPerMinute > 0 ? bucket("tpm", keyId, tokensPerMinute) : null;
    if (requests != null) {
      ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        return refusal(keyId, RateRefusal.Limit.REQUESTS, requestsPerMinute, probe);
      }
    }
    long charged = tokenBucket == null ? 0 : Math.min(tokens, tokensPerMinute);
    if (charged > 0) {
      ConsumptionProbe probe = tokenBucket.tryConsumeAndReturnRemaining(charged);
      if (!probe.isConsumed()) {
        if (requests != null) {
          requests.addTokens(1); // the request did not happen: give its slot back
        }
        return refusal(keyId, RateRefusal.Limit.TOKENS, tokensPerMinute, probe);
      }
    }
    return new Permit(tokenBucket, charged);
  }

  private Bucket bucket(String allowance, String keyId, long perMinute) {
    // The limit is part of the id: a key whose limit changes starts a fresh bucket at the new size.
    return buckets.computeIfAbsent(allowance + ":" + perMinute + ":" + keyId, id -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, MINUTE).build())
        .withCustomTimePrecision(time)
        .build());
  }

  private static RateRefusal refusal(String keyId, RateRefusal.Limit limit, long perMinute, ConsumptionProbe probe) {
    return new RateRefusal(keyId, limit, perMinute, Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  private static TimeMeter timeMeter(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  private static final class Permit extends SettledOncePermit {
    private final Bucket tokens;

    Permit(Bucket tokens, long charged) {
      super(charged);
      this.tokens = tokens;
    }

    @Override
    void correct(long extra) {
      if (tokens == null) {
        return;
      }
      if (extra > 0) {
        tokens.consumeIgnoringRateLimits(extra); // debt: later requests wait it out
      } else {
        tokens.addTokens(-extra); // unused estimate goes back (never above the allowance)
      }
    }
  }
}
