package dev.effort.server.limits;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Budgets shared by every gateway node through Redis: the check and the hold are one Lua script,
 * so two nodes can never both take the last dollar.
 *
 * <p>Per key, under one hash tag (so a Redis Cluster keeps them on one shard): the spending of
 * the current day and month (integer nanodollars, expiring a day after their period), and the
 * holds of calls still running, each with a lease. A node that dies mid-call cannot strand its
 * holds: they lapse when their lease ends. A call that outlives its lease still has its cost
 * counted when it settles. Spending a key had before Redis knew it is read from the {@link
 * SpendHistory} on first use of each period.
 *
 * <p>Amounts are exact up to 2^53 nanodollars (about nine million dollars) per key and period.
 */
public final class RedisBudgets implements Budgets, AutoCloseable {
  /** Checks both budgets against spent + held + the new hold, and holds it if it fits. */
  private static final String RESERVE_SOURCE = """
      local day = redis.call('GET', KEYS[1])
      local month = redis.call('GET', KEYS[2])
      if not day or not month then return {'seed'} end
      local now = tonumber(ARGV[4])
      local lapsed = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
      for _, id in ipairs(lapsed) do redis.call('HDEL', KEYS[3], id) end
      if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now) end
      local held = 0
      for _, v in ipairs(redis.call('HVALS', KEYS[3])) do held = held + tonumber(v) end
      local hold = tonumber(ARGV[1])
      local limits = {{'month', tonumber(ARGV[3]), tonumber(month)}, {'day', tonumber(ARGV[2]), tonumber(day)}}
      for _, l in ipairs(limits) do
        if l[2] >= 0 then
          local left = l[2] - l[3] - held
          if hold > left then return {'refused', l[1], string.format('%.0f', left)} end
        end
      end
      redis.call('HSET', KEYS[3], ARGV[6], ARGV[1])
      redis.call('ZADD', KEYS[4], now + tonumber(ARGV[5]), ARGV[6])
      redis.call('PEXPIRE', KEYS[3], ARGV[5])
      redis.call('PEXPIRE', KEYS[4], ARGV[5])
      return {'held'}
      """;

  /** Drops a hold and adds the real cost to the periods it was reserved in. */
  private static final String SETTLE_SOURCE = """
      redis.call('HDEL', KEYS[3], ARGV[1])
      redis.call('ZREM', KEYS[4], ARGV[1])
      if tonumber(ARGV[2]) > 0 then
        for i = 1, 2 do
          if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('INCRBY', KEYS[i], ARGV[2]) end
        end
      end
      return 1
      """;

  private final StatefulRedisConnection<String, String> connection;
  private final RedisScript reserveScript;
  private final RedisScript settleScript;
  private final String prefix;
  private final SpendHistory history;
  private final Duration lease;

  /**
   * Opens one connection on {@code redis}, closed by {@link #close()}.
   *
   * @param keyPrefix namespace of this deployment's keys in Redis
   * @param lease how long a hold lasts if its call never settles (its node died): longer than
   *     the longest call
   * @param timeout how long to wait for Redis before {@link #reserve} throws
   */
  public RedisBudgets(RedisClient redis, String keyPrefix, SpendHistory history, Duration lease, Duration timeout) {
    this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.history = Objects.requireNonNull(history, "history");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.connection = redis.connect();
    connection.setTimeout(timeout);
    this.reserveScript = RedisScript.load(connection, RESERVE_SOURCE);
    this.settleScript = RedisScript.load(connection, SETTLE_SOURCE);
  }

  @Override
  public BudgetDecision reserve(String keyId, double worstCaseUsd, BudgetLimits limits, Instant now) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(limits, "limits");
    long hold = Nanodollars.hold(worstCaseUsd);
    Keys keys = new Keys(keyId, now);
    String id = UUID.randomUUID().toString();
    RedisCommands<String, String> redis = connection.sync();
    for (int attempt = 0; attempt < 3; attempt++) {
      List<Object> answer = reserveScript.run(connection, ScriptOutputType.MULTI, keys.all(),
          Long.toString(hold), limit(limits.dailyUsd()), limit(limits.monthlyUsd()),
          Long.toString(now.toEpochMilli()), Long.toString(lease.toMillis()), id);
      switch ((String) answer.get(0)) {
        case "held" -> {
          return new Hold(keys, id, hold);
        }
        case "refused" -> {
          BudgetPeriod period = "day".equals(answer.get(1)) ? BudgetPeriod.DAY : BudgetPeriod.MONTH;
          long left = Long.parseLong((String) answer.get(2));
          return new BudgetRefusal(keyId, period, limits.of(period), Nanodollars.usd(Math.max(0, left)),
              worstCaseUsd, period.nextReset(now));
        }
        default -> seed(redis, keys, now); // "seed": a period Redis has not seen for this key yet
      }
    }
    throw new IllegalStateException("budget of key " + keyId + " could not be seeded in Redis");
  }

  @Override
  public void close() {
    connection.close();
  }

  /** Sets a period's spending from history, unless another node got there first (NX). */
  private void seed(RedisCommands<String, String> redis, Keys keys, Instant now) {
    for (BudgetPeriod period : BudgetPeriod.values()) {
      String key = keys.spent(period);
      if (redis.exists(key) == 0) {
        long spent = Nanodollars.cost(history.spentUsd(keys.keyId, period.start(now)));
        // Relative to the caller's now, not Redis's clock: kept a day past the period's end.
        Duration keep = Duration.between(now, period.nextReset(now)).plus(Duration.ofDays(1));
        redis.set(key, Long.toString(spent), SetArgs.Builder.nx().px(keep.toMillis()));
      }
    }
  }

  private static String limit(double usd) {
    long nanos = Nanodollars.limit(usd);
    return nanos == Long.MAX_VALUE ? "-1" : Long.toString(nanos);
  }

  /** The Redis keys of one budget key at one moment: its day's and month's spending and its holds. */
  private final class Keys {
    final String keyId;
    final String day;
    final String month;
    final String holds;
    final String leases;

    Keys(String keyId, Instant now) {
      this.keyId = keyId;
      LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
      String tag = prefix + "{" + keyId + "}";
      this.day = tag + ":spent:day:" + date;
      this.month = tag + ":spent:month:" + date.toString().substring(0, 7);
      this.holds = tag + ":holds";
      this.leases = tag + ":leases";
    }

    String spent(BudgetPeriod period) {
      return period == BudgetPeriod.DAY ? day : month;
    }

    String[] all() {
      return new String[] {day, month, holds, leases};
    }
  }

  private final class Hold implements Reservation {
    private final Keys keys;
    private final String id;
    private final long hold;
    private final AtomicBoolean done = new AtomicBoolean();

    Hold(Keys keys, String id, long hold) {
      this.keys = keys;
      this.id = id;
      this.hold = hold;
    }

    @Override
    public String keyId() {
      return keys.keyId;
    }

    @Override
    public double worstCaseUsd() {
      return Nanodollars.usd(hold);
    }

    @Override
    public void settle(double actualUsd) {
      end(Nanodollars.cost(actualUsd));
    }

    @Override
    public void release() {
      end(0);
    }

    private void end(long cost) {
      if (done.compareAndSet(false, true)) {
        settleScript.run(connection, ScriptOutputType.INTEGER, keys.all(), id, Long.toString(cost));
      }
    }
  }
}
