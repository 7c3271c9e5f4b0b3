package dev.effort.core.resilience;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The circuit of one deployment: closed (calls go), open (calls are refused until it has rested),
 * half-open (a few probes decide). Counts the outcomes of its last calls in a ring.
 */
public final class CircuitBreaker {
  /** The state of a circuit, as {@code /healthz} and {@code /metrics} show it. */
  public enum State {
    CLOSED, OPEN, HALF_OPEN;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final BreakerSettings settings;
  private final LongSupplier nanos;
  private final boolean[] failed;
  private final boolean[] slow;
  private int next;
  private int seen;
  private State state = State.CLOSED;
  private long openUntil;
  private int probesOut;
  private int probesDone;
  private int probesFailed;
  private long opened;

  public CircuitBreaker(BreakerSettings settings, LongSupplier nanos) {
    this.settings = settings;
    this.nanos = nanos;
    this.failed = new boolean[settings.window()];
    this.slow = new boolean[settings.window()];
  }

  public synchronized State state() {
    if (state == State.OPEN && nanos.getAsLong() - openUntil >= 0) {
      return State.HALF_OPEN; // would let a probe through now
    }
    return state;
  }

  /** How many times it has opened. */
  public synchronized long timesOpened() {
    return opened;
  }

  /** Until when the circuit stays open (for a {@code retry-after}), from now; zero when it is not open. */
  public synchronized Duration openFor() {
    return state == State.OPEN ? Duration.ofNanos(Math.max(0, openUntil - nanos.getAsLong())) : Duration.ZERO;
  }

  /** Whether a call may go now; a half-open circuit lets only its probes through. */
  public synchronized boolean tryAcquire() {
    if (state == State.OPEN) {
      if (nanos.getAsLong() - openUntil < 0) {
        return false;
      }
      state = State.HALF_OPEN;
      probesOut = 0;
      probesDone = 0;
      probesFailed = 0;
    }
    if (state == State.HALF_OPEN) {
      if (probesOut >= settings.halfOpenProbes()) {
        return false;
      }
      probesOut++;
    }
    return true;
  }

  /** The outcome of a call that {@link #tryAcquire} let through. */
  public synchronized void record(boolean failure, Duration elapsed) {
    boolean tooSlow = elapsed.compareTo(settings.slowCall()) > 0;
    if (state == State.HALF_OPEN) {
      // The probes decide together: one request's own trouble must not keep a deployment out.
      probesDone++;
      probesFailed += failure || tooSlow ? 1 : 0;
      int probes = settings.halfOpenProbes();
      if (probesFailed >= settings.failureRate() * probes) {
        open();
      } else if (probesDone >= probes) {
        state = State.CLOSED;
        seen = 0;
        next = 0;
      }
      return;
    }
    failed[next] = failure;
    slow[next] = tooSlow;
    next = (next + 1) % failed.length;
    seen = Math.min(seen + 1, failed.length);
    if (state == State.CLOSED && seen >= settings.minCalls()) {
      int failures = 0;
      int slowCalls = 0;
      for (int i = 0; i < seen; i++) {
        failures += failed[i] ? 1 : 0;
        slowCalls += slow[i] ? 1 : 0;
      }
      if (failures >= settings.failureRate() * seen || slowCalls >= settings.slowCallRate() * seen) {
        open();
      }
    }
  }

  /** A call let through that ended without a verdict (cancelled: another answered first). */
  public synchronized void release() {
    if (state == State.HALF_OPEN && probesOut > 0) {
      probesOut--;
    }
  }

  private void open() {
    state = State.OPEN;
    openUntil = nanos.getAsLong() + settings.openFor().toNanos();
    seen = 0;
    next = 0;
    opened++;
  }
}
