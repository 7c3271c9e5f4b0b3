package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.effort.core.Effort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryBudgetsTest {
  private static final Instant NOON = Instant.parse("2025-01-15T12:00:00Z");
  private static final Instant NEXT_MIDNIGHT = Instant.parse("2025-01-16T00:00:00Z");

  private final InMemoryBudgets budgets = new InMemoryBudgets(SpendHistory.NONE);

  @Test
  void twoHundredConcurrentCallsNeverOvershootTheBudget() throws Exception {
    double budget = 1.00;
    double worstCase = 0.05;
    AtomicLong settledNanos = new AtomicLong();
    AtomicInteger granted = new AtomicInteger();
    Queue<BudgetRefusal> refusals = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        threads.submit(() -> {
          start.await();
          switch (budgets.reserve("k1", worstCase, BudgetLimits.daily(budget), NOON)) {
            case Reservation r -> {
              granted.incrementAndGet();
              Thread.yield(); // let others reserve while this call "runs"
              double actual = ThreadLocalRandom.current().nextDouble(0, worstCase);
              r.settle(actual);
              settledNanos.addAndGet(Math.round(actual * 1e9));
            }
            case BudgetRefusal refusal -> refusals.add(refusal);
          }
          return null;
        });
      }
      start.countDown();
    }

    double settled = settledNanos.get() / 1e9;
    assertThat(settled).isLessThanOrEqualTo(budget + worstCase);
    // Atomic reservation makes the stronger promise: with actual <= worst case, never over at all.
    assertThat(settled).isLessThanOrEqualTo(budget + 1e-6);
    assertThat(granted.get()).isGreaterThanOrEqualTo(20);
    assertThat(refusals).isNotEmpty().hasSize(200 - granted.get());
    assertThat(refusals).allSatisfy(r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.DAY);
      assertThat(r.remainingUsd()).isLessThan(worstCase);
      assertThat(r.resetsAt()).isEqualTo(NEXT_MIDNIGHT);
      assertThat(r.message()).contains("left", "resets at 2025-01-16T00:00:00Z");
    });
  }

  @Test
  void whileAllCallsAreRunningExactlyTheBudgetsWorthIsHeld() throws Exception {
    List<Reservation> held = new ArrayList<>();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<BudgetDecision>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(threads.submit(() -> {
          start.await();
          return budgets.reserve("k1", 0.05, BudgetLimits.daily(1.00), NOON);
        }));
      }
      start.countDown();
      for (var f : results) {
        switch (f.get(30, TimeUnit.SECONDS)) {
          case Reservation r -> held.add(r);
          case BudgetRefusal r -> refused.incrementAndGet();
        }
      }
    }

    assertThat(held).hasSize(20); // 20 x $0.05 = $1.00, to the nanodollar
    assertThat(refused.get()).isEqualTo(180);
    held.forEach(Reservation::release);
    assertThat(budgets.reserve("k1", 1.00, BudgetLimits.daily(1.00), NOON)).isInstanceOf(Reservation.class);
  }

  @Test
  void refusalSaysWhichBudgetHowMuchIsLeftAndWhenItResets() {
    BudgetLimits limits = new BudgetLimits(5, 100);
    reserveAndSettle("k1", 4.88, limits, NOON);

    BudgetDecision decision = budgets.reserve("k1", 0.5, limits, NOON);

    assertThat(decision).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.DAY);
      assertThat(r.limitUsd()).isEqualTo(5);
      assertThat(r.remainingUsd()).isCloseTo(0.12, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.resetsAt()).isEqualTo(NEXT_MIDNIGHT);
      assertThat(r.retryAfter(NOON)).hasHours(12);
      assertThat(r.message()).isEqualTo(
          "The daily budget of key k1 ($5.00) has $0.12 left; this request may cost up to $0.50."
              + " It resets at 2025-01-16T00:00:00Z. Lower the effort or max_tokens, or wait.");
    });
  }

  @Test
  void whenBothBudgetsAreShortTheMonthlyOneIsNamed() {
    BudgetLimits limits = new BudgetLimits(5, 5);
    reserveAndSettle("k1", 4.9, limits, NOON);

    assertThat(budgets.reserve("k1", 1, limits, NOON)).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.MONTH);
      assertThat(r.resetsAt()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
      assertThat(r.message()).contains("monthly budget");
    });
  }

  @Test
  void aNewDayRestoresTheDailyBudget() {
    BudgetLimits limits = new BudgetLimits(1, 100);
    Instant lateEvening = Instant.parse("2025-01-15T23:59:59Z");
    reserveAndSettle("k1", 1.0, limits, lateEvening);
    assertThat(budgets.reserve("k1", 0.01, limits, lateEvening)).isInstanceOf(BudgetRefusal.class);

    assertThat(budgets.reserve("k1", 1.0, limits, NEXT_MIDNIGHT)).isInstanceOf(Reservation.class);
  }

  @Test
  void aNewMonthRestoresTheMonthlyBudgetButNotBefore() {
    BudgetLimits limits = BudgetLimits.monthly(10);
    reserveAndSettle("k1", 6, limits, Instant.parse("2025-01-03T10:00:00Z"));
    reserveAndSettle("k1", 4, limits, Instant.parse("2025-01-20T10:00:00Z"));

    assertThat(budgets.reserve("k1", 0.01, limits, Instant.parse("2025-01-31T23:59:59Z")))
        .isInstanceOfSatisfying(BudgetRefusal.class, r -> {
          assertThat(r.period()).isEqualTo(BudgetPeriod.MONTH);
          assertThat(r.remainingUsd()).isZero();
          assertThat(r.resetsAt()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
        });
    assertThat(budgets.reserve("k1", 10, limits, Instant.parse("2025-02-01T00:00:00Z")))
        .isInstanceOf(Reservation.class);
  }

  @Test
  void callsStillRunningAtMidnightKeepTheirHold() {
    BudgetLimits limits = BudgetLimits.daily(1);
    BudgetDecision running = budgets.reserve("k1", 0.9, limits, Instant.parse("2025-01-15T23:59:00Z"));
    assertThat(running).isInstanceOf(Reservation.class);

    assertThat(budgets.reserve("k1", 0.2, limits, NEXT_MIDNIGHT)).isInstanceOf(BudgetRefusal.class);
    ((Reservation) running).release();
    assertThat(budgets.reserve("k1", 0.2, limits, NEXT_MIDNIGHT)).isInstanceOf(Reservation.class);
  }

  @Test
  void pastSpendingIsReadFromHistoryOncePerKey() {
    List<String> asked = new ArrayList<>();
    Map<Instant, Double> spent = Map.of(
        Instant.parse("2025-01-15T00:00:00Z"), 4.0,
        Instant.parse("2025-01-01T00:00:00Z"), 90.0);
    InMemoryBudgets seeded = new InMemoryBudgets((key, since) -> {
      asked.add(key + "@" + since);
      return spent.get(since);
    });
    BudgetLimits limits = new BudgetLimits(5, 100);

    assertThat(seeded.reserve("k1", 0.99, limits, NOON)).isInstanceOf(Reservation.class);
    assertThat(seeded.reserve("k1", 0.02, limits, NOON)).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.DAY);
      assertThat(r.remainingUsd()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
    });
    assertThat(asked).containsExactly("k1@2025-01-15T00:00:00Z", "k1@2025-01-01T00:00:00Z");
  }

  @Test
  void aFailingHistoryIsAskedAgainOnTheNextRequest() {
    AtomicInteger calls = new AtomicInteger();
    InMemoryBudgets seeded = new InMemoryBudgets((key, since) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("ledger unavailable");
      }
      return 4.5;
    });

    assertThatThrownBy(() -> seeded.reserve("k1", 1, BudgetLimits.daily(5), NOON)).hasMessage("ledger unavailable");
    assertThat(seeded.reserve("k1", 1, BudgetLimits.daily(5), NOON)).isInstanceOf(BudgetRefusal.class);
  }

  @Test
  void onlyTheFirstOfSettleAndReleaseCounts() {
    BudgetLimits limits = BudgetLimits.daily(1);
    try (Reservation r = (Reservation) budgets.reserve("k1", 0.5, limits, NOON)) {
      r.settle(0.4);
      r.settle(0.1);
    } // close() releases, but the settle came first

    assertThat(budgets.reserve("k1", 0.61, limits, NOON)).isInstanceOf(BudgetRefusal.class);
    assertThat(budgets.reserve("k1", 0.6, limits, NOON)).isInstanceOf(Reservation.class);
  }

  @Test
  void aCallThatFailsBeforeSettlingGivesItsHoldBack() {
    BudgetLimits limits = BudgetLimits.daily(1);
    assertThatThrownBy(() -> {
      try (Reservation r = (Reservation) budgets.reserve("k1", 1, limits, NOON)) {
        r.settle(failingUpstreamCall());
      }
    }).hasMessage("upstream down");

    assertThat(budgets.reserve("k1", 1, limits, NOON)).isInstanceOf(Reservation.class);
  }

  @Test
  void keysHaveSeparateBudgets() {
    reserveAndSettle("k1", 1, BudgetLimits.daily(1), NOON);

    assertThat(budgets.reserve("k2", 1, BudgetLimits.daily(1), NOON)).isInstanceOf(Reservation.class);
    assertThat(budgets.reserve("k1", 0.01, BudgetLimits.daily(1), NOON)).isInstanceOf(BudgetRefusal.class);
  }

  @Test
  void lowersTheEffortUntilTheWorstCaseFits() {
    BudgetLimits limits = BudgetLimits.daily(1);
    reserveAndSettle("k1", 0.7, limits, NOON); // $0.30 left

    EffortFit fit = budgets.lowerUntilFits("k1", Effort.MAX, InMemoryBudgetsTest::worstCase, limits, NOON);

    assertThat(fit).isInstanceOfSatisfying(EffortFit.Fitted.class, f -> {
      assertThat(f.effort()).isEqualTo(Effort.HIGH);
      assertThat(f.lowered()).isTrue();
      assertThat(f.reservation().worstCaseUsd()).isEqualTo(0.20);
    });
  }

  @Test
  void keepsTheAskedEffortWhenItFits() {
    EffortFit fit = budgets.lowerUntilFits("k1", Effort.MEDIUM, InMemoryBudgetsTest::worstCase,
        BudgetLimits.daily(1), NOON);

    assertThat(fit).isInstanceOfSatisfying(EffortFit.Fitted.class, f -> {
      assertThat(f.effort()).isEqualTo(Effort.MEDIUM);
      assertThat(f.lowered()).isFalse();
    });
  }

  @Test
  void refusesWhenNotEvenLowFits() {
    BudgetLimits limits = BudgetLimits.daily(1);
    reserveAndSettle("k1", 0.995, limits, NOON);

    EffortFit fit = budgets.lowerUntilFits("k1", Effort.XHIGH, InMemoryBudgetsTest::worstCase, limits, NOON);

    assertThat(fit).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.requestedUsd()).isEqualTo(0.01);
      assertThat(r.message()).contains("$0.005 left", "up to $0.01");
    });
  }

  @Test
  void autoMustBeResolvedBeforeTheBudgetCheck() {
    assertThatThrownBy(() -> budgets.lowerUntilFits("k1", Effort.AUTO, InMemoryBudgetsTest::worstCase,
        BudgetLimits.NONE, NOON)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto");
  }

  @Test
  void rejectsCostsThatAreNotMoney() {
    assertThatThrownBy(() -> budgets.reserve("k1", -1, BudgetLimits.NONE, NOON))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> budgets.reserve("k1", Double.NaN, BudgetLimits.NONE, NOON))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BudgetLimits(-5, 10)).hasMessageContaining("daily budget");
  }

  private static double failingUpstreamCall() {
    throw new IllegalStateException("upstream down");
  }

  private static double worstCase(Effort level) {
    return switch (level) {
      case LOW -> 0.01;
      case MEDIUM -> 0.05;
      case HIGH -> 0.20;
      case XHIGH -> 0.50;
      case MAX -> 2.00;
      case AUTO -> throw new AssertionError("auto has no price");
    };
  }

  private void reserveAndSettle(String keyId, double usd, BudgetLimits limits, Instant at) {
    BudgetDecision d = budgets.reserve(keyId, usd, limits, at);
    assertThat(d).isInstanceOf(Reservation.class);
    ((Reservation) d).settle(usd);
  }
}
