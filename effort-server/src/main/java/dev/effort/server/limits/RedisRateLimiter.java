package dev.effort.server.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Rate limits shared by every gateway node through Redis: the same token buckets as {@link
 * BucketRateLimiter} (each holds a minute's allowance and refills smoothly), checked and taken by
 * one Lua script called by SHA, so a request costs one round trip for both its requests and its
 * tokens bucket, and two nodes can never both take the last token.
 *
 * <p>A bucket is one number: the time (µs, from the nodes' clocks) at which it will be full again.
 * Taking n tokens moves it n / rate later; a take that would move it more than a minute past now
 * does not fit, and the excess is how long to wait. Debt moves it further; giving tokens back
 * moves it earlier, never before now (never above the allowance). Keys expire 10 s after their
 * bucket is full again, so idle keys leave nothing.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {
  private static final long MINUTE_MICROS = 60_000_000L;

  /**
   * KEYS: requests bucket, tokens bucket. ARGV: now (µs), requests per minute, tokens per minute,
   * tokens to take (a limit of 0 is none). Takes from both or neither.
   */
  private static final String ACQUIRE_SOURCE = """
      local now = tonumber(ARGV[1])
      local function full_at(key)
        local t = tonumber(redis.call('GET', key) or now)
        if t < now then return now end
        return t
      end
      local takes = {}
      for i, limit in ipairs({'requests', 'tokens'}) do
        local per_minute = tonumber(ARGV[i + 1])
        local n = i == 1 and 1 or tonumber(ARGV[4])
        if per_minute > 0 and n > 0 then
          local after = full_at(KEYS[i]) + math.ceil(n * %d / per_minute)
          local wait = after - now - %d
          if wait > 0 then return {limit, math.ceil(wait)} end
          takes[#takes + 1] = {KEYS[i], after}
        end
      end
      for _, take in ipairs(takes) do
        redis.call('SET', take[1], string.format('%%.0f', take[2]), 'PX', math.floor((take[2] - now) / 1000) + 10000)
      end
      return {'ok'}
      """.formatted(MINUTE_MICROS, MINUTE_MICROS);

  /**
   * KEYS: tokens bucket. ARGV: now (µs), tokens per minute, tokens to add as debt (positive) or to
   * give back (negative).
   */
  private static final String SETTLE_SOURCE = """
      local now = tonumber(ARGV[1])
      local per_minute = tonumber(ARGV[2])
      local extra = tonumber(ARGV[3])
      local t = tonumber(redis.call('GET', KEYS[1]) or now)
      if t < now then t = now end
      if extra > 0 then
        t = t + math.ceil(extra * %d / per_minute)
      else
        t = math.max(now, t - math.floor(-extra * %d / per_minute))
      end
      redis.call('SET', KEYS[1], string.format('%%.0f', t), 'PX', math.floor((t - now) / 1000) + 10000)
      return 1
      """.formatted(MINUTE_MICROS, MINUTE_MICROS);

  private final StatefulRedisConnection<String, String> connection;
  private final RedisScript acquireScript;
  private final RedisScript settleScript;
  private final String prefix;
  private final Clock clock;

  /**
   * Opens one connection on {@code redis}, closed by {@link #close()}. A Redis that does not answer
   * within {@code timeout} makes {@link #tryAcquire} throw: the gateway decides whether to fail
   * open or closed.
   *
   * @param keyPrefix namespace of this deployment's buckets in Redis
   * @param clock all nodes' clocks must roughly agree: the refill is computed from their time
   */
  public RedisRateLimiter(RedisClient redis, String keyPrefix, Duration timeout, Clock clock) {
    this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.connection = redis.connect();
    connection.setTimeout(timeout);
    this.acquireScript = RedisScript.load(connection, ACQUIRE_SOURCE);
    this.settleScript = RedisScript.load(connection, SETTLE_SOURCE);
  }

  @Override
  public RateDecision tryAcquire(String keyId, long requestsPerMinute, long tokensPerMinute, long tokens) {
    Objects.requireNonNull(keyId, "keyId");
    if (tokens < 0) {
      throw new IllegalArgumentException("estimated tokens must not be negative, not " + tokens);
    }
    long charged = tokensPerMinute > 0 ? Math.min(tokens, tokensPerMinute) : 0;
    // The limit is part of the key: a key whose limit changes starts a fresh bucket at the new size.
    // One hash tag per API key, so a Redis Cluster keeps both buckets on one shard.
    String requests = prefix + "{" + keyId + "}:rpm:" + requestsPerMinute;
    String tokenBucket = prefix + "{" + keyId + "}:tpm:" + tokensPerMinute;
    List<Object> answer = acquireScript.run(connection, ScriptOutputType.MULTI, new String[] {requests, tokenBucket},
        Long.toString(nowMicros()), Long.toString(requestsPerMinute), Long.toString(tokensPerMinute),
        Long.toString(charged));
    return switch ((String) answer.get(0)) {
      case "ok" -> new Permit(tokensPerMinute > 0 ? tokenBucket : null, tokensPerMinute, charged);
      case "requests" -> refusal(keyId, RateRefusal.Limit.REQUESTS, requestsPerMinute, (Long) answer.get(1));
      default -> refusal(keyId, RateRefusal.Limit.TOKENS, tokensPerMinute, (Long) answer.get(1));
    };
  }

  @Override
  public void close() {
    connection.close();
  }

  private long nowMicros() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static RateRefusal refusal(String keyId, RateRefusal.Limit limit, long perMinute, long waitMicros) {
    return new RateRefusal(keyId, limit, perMinute, Duration.ofNanos(waitMicros * 1_000));
  }

  private final class Permit extends SettledOncePermit {
    private final String tokenBucket;
    private final long tokensPerMinute;

    Permit(String tokenBucket, long tokensPerMinute, long charged) {
      super(charged);
      this.tokenBucket = tokenBucket;
      this.tokensPerMinute = tokensPerMinute;
    }

    @Override
    void correct(long extra) {
      if (tokenBucket != null) {
        settleScript.run(connection, ScriptOutputType.INTEGER, new String[] {tokenBucket},
            Long.toString(nowMicros()), Long.toString(tokensPerMinute), Long.toString(extra));
      }
    }
  }
}
