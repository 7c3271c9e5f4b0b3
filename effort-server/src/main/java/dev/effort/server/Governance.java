package dev.effort.server;

import dev.effort.core.Effort;
import dev.effort.server.limits.BucketRateLimiter;
import dev.effort.server.limits.BudgetLimits;
import dev.effort.server.limits.Budgets;
import dev.effort.server.limits.InMemoryBudgets;
import dev.effort.server.limits.RateDecision;
import dev.effort.server.limits.RateLimiter;
import dev.effort.server.limits.RatePermit;
import dev.effort.server.limits.RateRefusal;
import dev.effort.server.limits.RedisBudgets;
import dev.effort.server.limits.RedisRateLimiter;
import dev.effort.server.limits.SpendHistory;
import dev.effort.server.limits.TempoGuard;
import dev.effort.server.limits.TempoListener;
import dev.effort.server.limits.TempoMetrics;
import dev.effort.server.limits.TempoSettings;
import dev.effort.server.limits.TempoThrottle;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.Store;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may call and how much: API keys, the tempo guard, rate limits and budgets, and the ledger
 * they are kept in. One instance per gateway; shared state lives in the store and, when
 * configured, Redis (so that several gateway nodes enforce one limit).
 */
public final class Governance implements AutoCloseable {

  /** Whether requests need a key. */
  public enum Auth {
    REQUIRED,
    OFF;

    static Auth parse(String value, String where) {
      return switch (value) {
        case "required" -> REQUIRED;
        case "off" -> OFF;
        default -> throw new IllegalArgumentException(where + ": '" + value + "' is not one of required, off");
      };
    }
  }

  /** What to do when a request's worst case does not fit the key's budget. */
  public enum OverBudget {
    /** Lower the effort until it fits, and say so (the default). */
    LOWER,
    /** Refuse with a 429 naming the budget. */
    REFUSE
  }

  private final Store store;
  private final Optional<Auth> auth;
  private final Optional<String> adminSecret;
  private final OverBudget overBudget;
  private final Budgets budgets;
  private final RateLimiter limiter;
  private final TempoGuard guard;
  private final Optional<RedisClient> redis;
  private java.util.concurrent.ScheduledExecutorService maintenance;
  /** Per key, the 429s of the rate limiter, the tempo guard and the budgets: refused before a plan ran, so not ledger rows. */
  private final MinuteTotals refusals;

  Governance(Store store, Optional<Auth> auth, Optional<String> adminSecret, OverBudget overBudget,
      Optional<String> redisUrl, TempoSettings people, TempoSettings agents, Clock clock) {
    this.store = store;
    this.auth = auth;
    this.adminSecret = adminSecret.filter(s -> !s.isBlank());
    this.overBudget = overBudget;
    SpendHistory history = (keyId, since) -> store.ledger().spentUsd(Long.parseLong(keyId), since);
    this.redis = redisUrl.map(RedisClient::create);
    if (redis.isPresent()) {
      this.budgets = new RedisBudgets(redis.get(), "effort:budget:", history, Duration.ofMinutes(10), Duration.ofSeconds(5));
      this.limiter = new RedisRateLimiter(redis.get(), "effort:rate:", Duration.ofSeconds(5), clock);
    } else {
      this.budgets = new InMemoryBudgets(history);
      this.limiter = BucketRateLimiter.inMemory(clock);
    }
    this.guard = new TempoGuard(clock, people, agents).addListener(TempoListener.logging());
    this.refusals = new MinuteTotals(clock);
  }

  /** What refused a key's requests: {@code rate_limit}, {@code tempo} or {@code budget}. */
  enum Refusal {
    RATE_LIMIT, TEMPO, BUDGET;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  void refused(ApiKey key, Refusal why) {
    refusals.count(key.id() + "/" + why.wireName());
  }

  /** How many of the key's requests {@code why} refused from {@code from} on (this node's count). */
  long refusals(ApiKey key, Refusal why, java.time.Instant from) {
    return refusals.since(key.id() + "/" + why.wireName(), from).count();
  }

  /** Opens the store (running its migrations) and the limiters the config asks for. */
  public static Governance open(GatewayConfig.GovernanceConfig config, java.nio.file.Path folder) {
    Store store = Store.open(config.database().orElseGet(() -> Store.defaultUrl(folder)));
    String adminSecret = System.getenv(config.adminKeyEnv());
    TempoSettings people = new TempoSettings(TempoSettings.DEFAULTS.window(), config.tempoMultiplier(),
        config.tempoMinPerSecond(), TempoSettings.DEFAULTS.halfLife(), TempoSettings.DEFAULTS.cooldown());
    Governance g = new Governance(store, config.auth().map(a -> Auth.parse(a, "auth")), Optional.ofNullable(adminSecret),
        config.overBudget().equals("refuse") ? OverBudget.REFUSE : OverBudget.LOWER, config.redis(), people,
        people.scaled(5), Clock.systemUTC());
    g.maintainEvery(MAINTENANCE_PERIOD, Duration.ofDays(config.ledgerRetentionDays()));
    return g;
  }

  /** How often the store is kept bounded: old ledger rows deleted, the SQLite WAL checkpointed. */
  static final Duration MAINTENANCE_PERIOD = Duration.ofMinutes(5);

  /** Runs {@link Store#maintain} every {@code period} on a daemon thread, until closed. */
  synchronized void maintainEvery(Duration period, Duration retention) {
    maintenance = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "effort-store-maintenance");
      t.setDaemon(true);
      return t;
    });
    maintenance.scheduleWithFixedDelay(() -> {
      try {
        int deleted = store.maintain(retention, java.time.Instant.now());
        if (deleted > 0) {
          java.util.logging.Logger.getLogger(Governance.class.getName()).info(
              "ledger retention: deleted " + deleted + " entries older than " + retention.toDays() + " days");
        }
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(Governance.class.getName()).warning("store maintenance failed: " + e.getMessage());
      }
    }, period.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Why {@code effort serve} must not start: live upstreams are configured (every answer spends on
   * their keys), no API key exists, and {@code auth: off} was not said explicitly, so anyone who
   * reaches the gateway could spend.
   */
  public Optional<String> refusalToServe(boolean liveProviders) {
    if (!liveProviders || auth.isPresent() || store.keys().anyKeys()) {
      return Optional.empty();
    }
    return Optional.of("live providers are configured and no API key exists, so anyone who reaches the gateway would spend"
        + " on your upstream keys; create a key first (effort keys create NAME), or put 'auth: off' in the config to serve"
        + " without keys");
  }

  void bindMetrics(MeterRegistry registry) {
    TempoMetrics.bind(guard, registry);
  }

  /** One line for the startup log: where keys and ledger live, and how limits are shared. */
  public String describe() {
    return store.engine() + " at " + store.location() + (redis.isPresent() ? ", limits shared through Redis" : ", limits in memory")
        + (adminSecret.isPresent() ? ", admin API on" : ", admin API off");
  }

  Store store() {
    return store;
  }

  Budgets budgets() {
    return budgets;
  }

  OverBudget overBudget() {
    return overBudget;
  }

  /**
   * The caller's key, from {@code Authorization: Bearer} (OpenAI) or {@code x-api-key}
   * (Anthropic). Required as soon as any key exists, unless the config says {@code auth: off}.
   *
   * @throws WireError 401 for a missing or unknown key, 403 for a revoked one
   */
  Optional<ApiKey> authenticate(Optional<String> secret) {
    boolean required = auth.orElseGet(() -> store.keys().anyKeys() ? Auth.REQUIRED : Auth.OFF) == Auth.REQUIRED;
    if (secret.isEmpty()) {
      if (required) {
        throw new WireError(WireError.Kind.AUTHENTICATION,
            "an API key is required: send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY' (create one with effort keys create)");
      }
      return Optional.empty();
    }
    Optional<ApiKey> key = store.keys().authenticate(secret.get());
    if (key.isEmpty()) {
      if (!required) {
        return Optional.empty();
      }
      throw new WireError(WireError.Kind.AUTHENTICATION, "invalid API key");
    }
    if (key.get().isRevoked()) {
      throw new WireError(WireError.Kind.PERMISSION, "API key '" + key.get().name() + "' was revoked at " + key.get().revoked().get());
    }
    return key;
  }

  /** Whether {@code secret} is a live API key or the admin key. */
  boolean knows(Optional<String> secret) {
    if (secret.isEmpty()) {
      return false;
    }
    return isAdmin(secret) || store.keys().authenticate(secret.get()).filter(k -> !k.isRevoked()).isPresent();
  }

  /** Whether {@code secret} is the admin key; constant time. */
  boolean isAdmin(Optional<String> secret) {
    if (adminSecret.isEmpty() || secret.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(adminSecret.get().getBytes(StandardCharsets.UTF_8), secret.get().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the admin API, and so the dashboard, is on: an admin key was given. */
  public boolean adminEnabled() {
    return adminSecret.isPresent();
  }

  /**
   * The tempo guard: a key calling faster than its own usual pace (a runaway loop) is slowed down.
   *
   * @throws WireError 429 with retry-after when the key must slow down
   */
  void guardTempo(ApiKey key) {
    Optional<TempoThrottle> throttle = guard.admit(Long.toString(key.id()), key.agent());
    if (throttle.isPresent()) {
      refused(key, Refusal.TEMPO);
      throw WireError.rateLimited(throttle.get().message(), throttle.get().retryAfterSeconds());
    }
  }

  /**
   * The key's requests and tokens per minute, before anything is spent.
   *
   * @return the token permit to settle with the actual tokens afterwards; empty when the key has no limits
   * @throws WireError 429 with retry-after when the key is over a limit
   */
  Optional<RatePermit> rateLimit(ApiKey key, long estimatedTokens) {
    long rpm = key.rpm().orElse(0);
    long tpm = key.tpm().orElse(0);
    if (rpm == 0 && tpm == 0) {
      return Optional.empty();
    }
    RateDecision decision;
    try {
      decision = limiter.tryAcquire(Long.toString(key.id()), rpm, tpm, estimatedTokens);
    } catch (RuntimeException e) {
      // Fail closed: without the shared limiter a key could run past its limit on every node.
      throw new WireError(WireError.Kind.UNAVAILABLE, "the rate limiter is unavailable (" + e.getClass().getSimpleName()
          + "); try again shortly");
    }
    return switch (decision) {
      case RatePermit permit -> Optional.of(permit);
      case RateRefusal refusal -> {
        refused(key, Refusal.RATE_LIMIT);
        throw WireError.rateLimited(refusal.message(), refusal.retryAfterSeconds());
      }
    };
  }

  static BudgetLimits limits(ApiKey key) {
    return new BudgetLimits(key.budgetUsdDay().orElse(Double.POSITIVE_INFINITY), key.budgetUsdMonth().orElse(Double.POSITIVE_INFINITY));
  }

  /** What the key has left of its budgets, as the ledger has settled (calls in flight not counted). */
  double leftUsd(ApiKey key, java.time.Instant now) {
    BudgetLimits l = limits(key);
    double left = Double.POSITIVE_INFINITY;
    if (Double.isFinite(l.dailyUsd())) {
      left = Math.min(left, l.dailyUsd() - store.ledger().spentUsd(key.id(), dev.effort.server.limits.BudgetPeriod.DAY.start(now)));
    }
    if (Double.isFinite(l.monthlyUsd())) {
      left = Math.min(left, l.monthlyUsd() - store.ledger().spentUsd(key.id(), dev.effort.server.limits.BudgetPeriod.MONTH.start(now)));
    }
    return Math.max(0, left);
  }

  static boolean hasBudget(ApiKey key) {
    return key.budgetUsdDay().isPresent() || key.budgetUsdMonth().isPresent();
  }

  /** The key's default level, for effort resolution. */
  static Optional<Effort> defaultEffort(Optional<ApiKey> key) {
    return key.flatMap(ApiKey::defaultEffort);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (maintenance != null) {
        maintenance.shutdownNow();
      }
    }
    redis.ifPresent(RedisClient::shutdown);
    store.close();
  }
}
