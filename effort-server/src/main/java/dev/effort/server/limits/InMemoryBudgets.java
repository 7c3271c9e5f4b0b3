package dev.effort.server.limits;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Budgets held in this node's memory: the embedded default (one gateway node). Each key has its
 * own lock, so keys never wait for each other; what a key had spent before this node started is
 * read from the {@link SpendHistory} the first time the key is seen.
 *
 * <p>Costs settled by a call that straddles a reset count in the period it was reserved in.
 */
public final class InMemoryBudgets implements Budgets {
  private final SpendHistory history;
  private final ConcurrentMap<String, KeyBudget> keys = new ConcurrentHashMap<>();

  public InMemoryBudgets(SpendHistory history) {
    this.history = Objects.requireNonNull(history, "history");
  }

  @Override
  public BudgetDecision reserve(String keyId, double worstCaseUsd, BudgetLimits limits, Instant now) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(limits, "limits");
    long hold = Nanodollars.hold(worstCaseUsd);
    KeyBudget key = keys.computeIfAbsent(keyId, KeyBudget::new);
    key.lock.lock();
    try {
      key.seedOnce(history, now);
      key.day.rollTo(now);
      key.month.rollTo(now);
      BudgetRefusal refusal = key.refusal(key.month, hold, worstCaseUsd, limits, now);
      if (refusal == null) {
        refusal = key.refusal(key.day, hold, worstCaseUsd, limits, now);
      }
      if (refusal != null) {
        return refusal;
      }
      key.held += hold;
      return new Hold(key, hold);
    } finally {
      key.lock.unlock();
    }
  }

  /** Spending in one period: reset when a new period starts. */
  private static final class Window {
    final BudgetPeriod period;
    Instant start;
    long spent;

    Window(BudgetPeriod period) {
      this.period = period;
    }

    void rollTo(Instant now) {
      Instant current = period.start(now);
      if (current.isAfter(start)) {
        start = current;
        spent = 0;
      }
    }
  }

  private static final class KeyBudget {
    final String keyId;
    final ReentrantLock lock = new ReentrantLock();
    final Window day = new Window(BudgetPeriod.DAY);
    final Window month = new Window(BudgetPeriod.MONTH);
    /** Worst cases of calls still running; they count against both periods, across resets. */
    long held;
    boolean seeded;

    KeyBudget(String keyId) {
      this.keyId = keyId;
    }

    /** Reads past spending once; if the history fails, the next request tries again. */
    void seedOnce(SpendHistory history, Instant now) {
      if (seeded) {
        return;
      }
      for (Window w : new Window[] {day, month}) {
        w.start = w.period.start(now);
        w.spent = Nanodollars.cost(history.spentUsd(keyId, w.start));
      }
      seeded = true;
    }

    BudgetRefusal refusal(Window w, long hold, double worstCaseUsd, BudgetLimits limits, Instant now) {
      long limit = Nanodollars.limit(limits.of(w.period));
      if (limit == Long.MAX_VALUE) {
        return null;
      }
      long left = limit - w.spent - held;
      if (hold <= left) {
        return null;
      }
      return new BudgetRefusal(keyId, w.period, limits.of(w.period), Nanodollars.usd(Math.max(0, left)),
          worstCaseUsd, w.period.nextReset(now));
    }
  }

  private static final class Hold implements Reservation {
    private final KeyBudget key;
    private final long hold;
    private final AtomicBoolean done = new AtomicBoolean();

    Hold(KeyBudget key, long hold) {
      this.key = key;
      this.hold = hold;
    }

    @Override
    public String keyId() {
      return key.keyId;
    }

    @Override
    public double worstCaseUsd() {
      return Nanodollars.usd(hold);
    }

    @Override
    public void settle(double actualUsd) {
      long cost = Nanodollars.cost(actualUsd);
      end(cost);
    }

    @Override
    public void release() {
      end(0);
    }

    private void end(long cost) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      key.lock.lock();
      try {
        key.held -= hold;
        key.day.spent += cost;
        key.month.spent += cost;
      } finally {
        key.lock.unlock();
      }
    }
  }
}
