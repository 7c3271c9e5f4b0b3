package dev.effort.server.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Token buckets (Bucket4j), one for requests and one for tokens per key: each holds a minute's
 * allowance and refills it smoothly, so a key may burst up to its limit and then goes at the
 * limit's pace. {@link #inMemory} keeps the buckets in this node; {@link #shared} keeps them in
 * Redis, so every gateway node sharing that Redis enforces one limit per key.
 */
public final class BucketRateLimiter implements RateLimiter, AutoCloseable {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** Where buckets live; {@code id} names one allowance of one key at one limit. */
  @FunctionalInterface
  interface Buckets {
    Bucket bucket(String id, BucketConfiguration config);
  }

  private final Buckets buckets;
  private final Runnable onClose;

  private BucketRateLimiter(Buckets buckets, Runnable onClose) {
    this.buckets = buckets;
    this.onClose = onClose;
  }

  /** Buckets in this node's memory: the embedded default. */
  public static BucketRateLimiter inMemory(Clock clock) {
    TimeMeter time = timeMeter(clock);
    ConcurrentMap<String, Bucket> local = new ConcurrentHashMap<>();
    return new BucketRateLimiter(
        (id, config) -> local.computeIfAbsent(id, i -> Bucket.builder()
            .addLimit(config.getBandwidths()[0])
            .withCustomTimePrecision(time)
            .build()),
        () -> {});
  }

  /**
   * Buckets in Redis, under {@code keyPrefix}, updated by compare-and-swap so concurrent nodes
   * never both spend the last token. Buckets expire once full again, so idle keys leave nothing.
   * Opens one connection on {@code redis}, closed by {@link #close()}. A Redis that does not
   * answer within {@code timeout} makes {@link #tryAcquire} throw: the gateway decides whether to
   * fail open or closed.
   *
   * @param clock all nodes' clocks must roughly agree: the refill is computed from their time
   */
  public static BucketRateLimiter shared(RedisClient redis, String keyPrefix, Duration timeout, Clock clock) {
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    StatefulRedisConnection<String, byte[]> connection =
        redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    connection.setTimeout(timeout);
    ProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(connection)
        .clientClock(timeMeter(clock))
        .requestTimeout(timeout)
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
        .build();
    return new BucketRateLimiter((id, config) -> proxies.builder().build(keyPrefix + id, () -> config), connection::close);
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

  @Override
  public void close() {
    onClose.run();
  }

  private Bucket bucket(String allowance, String keyId, long perMinute) {
    // The limit is part of the id: a key whose limit changes starts a fresh bucket at the new size.
    BucketConfiguration config = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, MINUTE).build())
        .build();
    return buckets.bucket(allowance + ":" + perMinute + ":" + keyId, config);
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

  private static final class Permit implements RatePermit {
    private final Bucket tokens;
    private final long charged;
    private final AtomicBoolean settled = new AtomicBoolean();

    Permit(Bucket tokens, long charged) {
      this.tokens = tokens;
      this.charged = charged;
    }

    @Override
    public long chargedTokens() {
      return charged;
    }

    @Override
    public void settle(long actualTokens) {
      if (actualTokens < 0) {
        throw new IllegalArgumentException("actual tokens must not be negative, not " + actualTokens);
      }
      if (tokens == null || !settled.compareAndSet(false, true)) {
        return;
      }
      long extra = actualTokens - charged;
      if (extra > 0) {
        tokens.consumeIgnoringRateLimits(extra); // debt: later requests wait it out
      } else if (extra < 0) {
        tokens.addTokens(-extra); // unused estimate goes back (never above the allowance)
      }
    }
  }
}
