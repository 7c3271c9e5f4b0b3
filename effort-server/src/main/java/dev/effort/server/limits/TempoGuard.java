package dev.effort.server.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The machine-speed guard: learns each key's usual request tempo and throttles a key that
 * suddenly runs far beyond it (a leaked key in a script, an agent stuck in a loop), long before a
 * budget or rate limit notices. Rate limits cap what a key may do; this catches a key doing what it
 * never does.
 *
 * <p>Per key it counts requests in fixed windows. The usual rate is an exponentially weighted
 * moving average of admitted requests per closed window, corrected for its start at zero so a
 * young key has a baseline after one window. Denied requests, and windows in which the key was
 * throttled, are left out: hammering never teaches the guard that hammering is normal. The current
 * rate is a sliding count over the last window: this window's requests plus the part of the
 * previous window still inside it. A key that speeds up slowly carries its baseline along and is
 * never throttled; a throttled key that keeps hammering stays throttled.
 *
 * <p>Keys are kept for the life of the guard (one entry per API key, a few hundred bytes).
 */
public final class TempoGuard {
  private final Clock clock;
  private final TempoSettings people;
  private final TempoSettings agents;
  private final ConcurrentMap<String, KeyTempo> keys = new ConcurrentHashMap<>();
  private final List<TempoListener> listeners = new CopyOnWriteArrayList<>();

  public TempoGuard(Clock clock, TempoSettings people, TempoSettings agents) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.people = Objects.requireNonNull(people, "people");
    this.agents = Objects.requireNonNull(agents, "agents");
    // One usual rate per key, learned the same way whether or not the key is marked as an agent.
    if (!people.window().equals(agents.window()) || !people.halfLife().equals(agents.halfLife())) {
      throw new IllegalArgumentException("people and agent settings must share window and halfLife; "
          + "they may differ in multiplier, minPerSecond and cooldown");
    }
  }

  /** With {@link TempoSettings#DEFAULTS} and {@link TempoSettings#AGENT_DEFAULTS}. */
  public TempoGuard(Clock clock) {
    this(clock, TempoSettings.DEFAULTS, TempoSettings.AGENT_DEFAULTS);
  }

  public TempoGuard addListener(TempoListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Counts one request of {@code keyId} and says whether to refuse it. Call before the budget and
   * rate limit, once per request.
   *
   * @param agent the key is marked as an automated agent, and held to the agent settings
   * @return empty to go ahead; a throttle (with its {@code retry-after}) to refuse
   */
  public Optional<TempoThrottle> admit(String keyId, boolean agent) {
    long now = nanos();
    TempoSettings settings = agent ? agents : people;
    KeyTempo key = key(keyId);
    TempoReading started;
    TempoReading released;
    Optional<TempoThrottle> verdict;
    synchronized (key) {
      key.agent = agent;
      key.roll(now, settings);
      key.current++;
      double count = key.slidingCount(now, settings);
      double threshold = key.threshold(settings);
      boolean wasThrottled = key.throttled;
      if (count > threshold) {
        // Throttled, or kept throttled: a key that goes on hammering never gets through.
        key.throttled = true;
        key.throttledInWindow = true;
        key.throttledUntil = Math.max(key.throttledUntil, now + settings.cooldown().toNanos());
      } else if (key.throttled && now >= key.throttledUntil) {
        key.throttled = false;
      }
      TempoReading reading = key.reading(now, settings);
      started = key.throttled && !wasThrottled ? reading : null;
      released = wasThrottled && !key.throttled ? reading : null;
      if (key.throttled) {
        verdict = Optional.of(new TempoThrottle(reading, Duration.ofNanos(key.throttledUntil - now)));
      } else {
        key.currentAdmitted++;
        verdict = Optional.empty();
      }
    }
    // Listeners run outside the key's lock: a slow log must not stall the key's requests.
    if (started != null) {
      listeners.forEach(l -> l.throttled(started));
    }
    if (released != null) {
      listeners.forEach(l -> l.released(released));
    }
    return verdict;
  }

  /** The key's tempo now (zero for a key never seen): for gauges and the dashboard. */
  public TempoReading reading(String keyId) {
    KeyTempo key = keys.get(keyId);
    if (key == null) {
      return new TempoReading(keyId, false, 0, 0, people.minPerSecond(), false);
    }
    long now = nanos();
    synchronized (key) {
      TempoSettings settings = key.agent ? agents : people;
      key.roll(now, settings);
      return key.reading(now, settings);
    }
  }

  /** Keys seen so far. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  private KeyTempo key(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    KeyTempo key = keys.get(keyId);
    if (key != null) {
      return key;
    }
    KeyTempo fresh = new KeyTempo(keyId);
    key = keys.putIfAbsent(keyId, fresh);
    if (key != null) {
      return key;
    }
    listeners.forEach(l -> l.keySeen(keyId));
    return fresh;
  }

  private long nanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One key's counts; guarded by its own monitor. */
  private static final class KeyTempo {
    final String keyId;
    boolean agent;
    boolean seen;
    long window;
    long current;
    long currentAdmitted;
    long previous;
    /** Moving average of admitted requests per window, and the weight it has gathered (for the start-up correction). */
    double average;
    double weight;
    boolean throttled;
    /** A window in which the key was throttled is not learned from: it was not the key's usual self. */
    boolean throttledInWindow;
    long throttledUntil = Long.MIN_VALUE;

    KeyTempo(String keyId) {
      this.keyId = keyId;
    }

    /** Closes the windows that ended before {@code now}, teaching the average what they held. */
    void roll(long now, TempoSettings s) {
      long windowNanos = s.window().toNanos();
      long index = Math.floorDiv(now, windowNanos);
      if (!seen) {
        seen = true;
        window = index;
        return;
      }
      if (index <= window) {
        return; // same window, or the clock stepped back
      }
      double keep = keep(s);
      if (!throttledInWindow) {
        average = keep * average + (1 - keep) * currentAdmitted;
        weight = keep * weight + (1 - keep);
      }
      long empty = index - window - 1;
      if (empty > 0) {
        double fade = Math.pow(keep, empty);
        average *= fade;
        weight = 1 - (1 - weight) * fade;
      }
      previous = empty == 0 ? current : 0;
      current = 0;
      currentAdmitted = 0;
      window = index;
      throttledInWindow = throttled;
    }

    /** Requests in the last window's length: this window's, plus the previous one's still inside it. */
    double slidingCount(long now, TempoSettings s) {
      long windowNanos = s.window().toNanos();
      double elapsed = (double) Math.floorMod(now, windowNanos) / windowNanos;
      return current + previous * (1 - elapsed);
    }

    double baselinePerWindow() {
      return weight > 0 ? average / weight : 0;
    }

    double threshold(TempoSettings s) {
      double minimum = s.minPerSecond() * seconds(s.window());
      return Math.max(s.multiplier() * baselinePerWindow(), minimum);
    }

    TempoReading reading(long now, TempoSettings s) {
      double perWindow = seconds(s.window());
      return new TempoReading(keyId, agent, slidingCount(now, s) / perWindow, baselinePerWindow() / perWindow,
          threshold(s) / perWindow, throttled && now < throttledUntil);
    }

    /** How much of the average one window keeps: its weight halves every half-life. */
    private static double keep(TempoSettings s) {
      return Math.pow(0.5, (double) s.window().toNanos() / s.halfLife().toNanos());
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }
}
