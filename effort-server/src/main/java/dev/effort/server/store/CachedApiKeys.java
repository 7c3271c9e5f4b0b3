package dev.effort.server.store;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link ApiKeys} whose per-request questions ({@link #authenticate}, {@link #anyKeys}) are answered
 * from memory: every key, revoked ones too, by the hash of its secret. A secret no key has is
 * answered from memory as well, so a flood of bad keys never reaches the database, and memory is
 * bounded by the key table, not by what callers send.
 *
 * <p>Freshness: every change to {@code api_keys} bumps {@code api_keys_version} (a trigger, in the
 * change's own transaction). The first question after {@link #CHECK_EVERY} has passed reads that
 * one row, and reloads every key when it moved; questions asked meanwhile wait for that read,
 * so no answer is older than the interval plus one query. A change made through this instance
 * drops the keys at once. So a key created, changed or revoked by any process sharing the store
 * takes effect on every node within {@link #CHECK_EVERY} (a quarter second) plus one query.
 */
final class CachedApiKeys implements ApiKeys {
  static final Duration CHECK_EVERY = Duration.ofMillis(250);

  /** Every key at one version of the table. */
  private record Snapshot(long version, Map<SecretHash, ApiKey> bySecret) {}

  private final SqlApiKeys sql;
  private final Clock clock;
  private final long checkEveryMillis;
  private final ReentrantLock checking = new ReentrantLock();
  /** Null until first asked, and after a change through this instance. */
  private volatile Snapshot snapshot;
  private volatile long checkedAtMillis;
  private volatile int loads;

  CachedApiKeys(SqlApiKeys sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
    this.checkEveryMillis = CHECK_EVERY.toMillis();
  }

  @Override
  public IssuedKey create(KeySpec spec) {
    try {
      return sql.create(spec);
    } finally {
      drop();
    }
  }

  @Override
  public Optional<ApiKey> authenticate(String secret) {
    if (secret == null || !secret.startsWith(Secrets.PREFIX)) {
      return Optional.empty();
    }
    return Optional.ofNullable(current().bySecret().get(new SecretHash(Secrets.hash(secret))));
  }

  /** Straight from the store: an admin question, never on the request path. */
  @Override
  public List<ApiKey> list() {
    return sql.list();
  }

  @Override
  public Optional<ApiKey> revoke(String idOrName) {
    try {
      return sql.revoke(idOrName);
    } finally {
      drop();
    }
  }

  @Override
  public boolean anyKeys() {
    return !current().bySecret().isEmpty();
  }

  /** How many times every key was read from the store. */
  int loads() {
    return loads;
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (s != null && fresh(clock.millis())) {
      return s;
    }
    checking.lock();
    try {
      long now = clock.millis();
      s = snapshot;
      if (s != null && fresh(now)) {
        return s; // another question checked while this one waited
      }
      long version = sql.version();
      if (s == null || s.version() != version) {
        // Version first: keys read after it are at least as new, so a change in between only
        // costs one more reload at the next check.
        Map<SecretHash, ApiKey> bySecret = new HashMap<>();
        for (SqlApiKeys.Stored stored : sql.all()) {
          bySecret.put(new SecretHash(stored.secretSha256()), stored.key());
        }
        s = new Snapshot(version, Map.copyOf(bySecret));
        snapshot = s;
        loads++;
      }
      checkedAtMillis = now;
      return s;
    } finally {
      checking.unlock();
    }
  }

  /** Checked less than the interval ago; a clock set back counts as stale. */
  private boolean fresh(long now) {
    long since = now - checkedAtMillis;
    return since >= 0 && since < checkEveryMillis;
  }

  /** Forgets every key; under the lock, so that a reload already under way cannot put back what it read before. */
  private void drop() {
    checking.lock();
    try {
      snapshot = null;
    } finally {
      checking.unlock();
    }
  }

  /**
   * A secret's SHA-256 as a map key. The map finds the entry by a few bytes; the final comparison
   * is constant time, so timing does not tell how much of a guessed hash matched.
   */
  private static final class SecretHash {
    private final byte[] sha256;
    private final int hash;

    SecretHash(byte[] sha256) {
      this.sha256 = sha256;
      this.hash = (sha256[0] & 0xff) << 24 | (sha256[1] & 0xff) << 16 | (sha256[2] & 0xff) << 8 | (sha256[3] & 0xff);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SecretHash other && MessageDigest.isEqual(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
