package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.effort.core.Effort;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Budgets shared by two gateway nodes through one real Redis ({@link TestRedis}). */
class RedisBudgetsTest {
  private static final Instant NOON = Instant.parse("2025-01-15T12:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(30);

  private static RedisClient nodeA;
  private static RedisClient nodeB;

  private final String prefix = "effort-test:" + UUID.randomUUID() + ":";
  private final Queue<String> historyAsked = new ConcurrentLinkedQueue<>();
  private final SpendHistory history = (key, since) -> {
    historyAsked.add(key + "@" + since);
    return 0;
  };
  private final List<RedisBudgets> opened = new ArrayList<>();

  @BeforeAll
  static void connect() {
    nodeA = TestRedis.client();
    nodeB = TestRedis.client();
  }

  @AfterAll
  static void disconnect() {
    nodeA.shutdown();
    nodeB.shutdown();
  }

  @AfterEach
  void cleanUp() {
    opened.forEach(RedisBudgets::close);
    TestRedis.deleteUnder(nodeA, prefix);
  }

  @Test
  void twoNodesTogetherHoldExactlyTheBudgetsWorth() throws Exception {
    RedisBudgets a = node(nodeA, history);
    RedisBudgets b = node(nodeB, history);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<BudgetDecision>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        RedisBudgets node = i % 2 == 0 ? a : b;
        results.add(threads.submit(() -> {
          start.await();
          return node.reserve("k1", 0.05, BudgetLimits.daily(1.00), NOON);
        }));
      }
      start.countDown();
    }
    List<Reservation> held = new ArrayList<>();
    for (Future<BudgetDecision> f : results) {
      if (f.get(30, TimeUnit.SECONDS) instanceof Reservation r) {
        held.add(r);
      }
    }

    assertThat(held).hasSize(20);
    held.forEach(Reservation::release);
    assertThat(b.reserve("k1", 1.00, BudgetLimits.daily(1.00), NOON)).isInstanceOf(Reservation.class);
  }

  @Test
  void twoHundredConcurrentCallsOnTwoNodesNeverOvershootTheBudget() throws Exception {
    RedisBudgets a = node(nodeA, history);
    RedisBudgets b = node(nodeB, history);
    AtomicLong settledNanos = new AtomicLong();
    Queue<BudgetRefusal> refusals = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        RedisBudgets node = i % 2 == 0 ? a : b;
        threads.submit(() -> {
          start.await();
          switch (node.reserve("k1", 0.05, BudgetLimits.daily(1.00), NOON)) {
            case Reservation r -> {
              double actual = ThreadLocalRandom.current().nextDouble(0, 0.05);
              r.settle(actual);
              settledNanos.addAndGet(Math.round(actual * 1e9));
            }
            case BudgetRefusal r -> refusals.add(r);
          }
          return null;
        });
      }
      start.countDown();
    }

    assertThat(settledNanos.get() / 1e9).isLessThanOrEqualTo(1.00 + 0.05).isLessThanOrEqualTo(1.00 + 1e-6);
    assertThat(refusals).isNotEmpty().allSatisfy(r -> assertThat(r.message())
        .contains("daily budget of key k1 ($1.00)", "left", "resets at 2025-01-16T00:00:00Z"));
  }

  @Test
  void pastSpendingIsReadFromHistoryOnceForAllNodes() {
    List<String> asked = new ArrayList<>();
    SpendHistory spent = (key, since) -> {
      asked.add(key + "@" + since);
      return since.equals(Instant.parse("2025-01-15T00:00:00Z")) ? 4.0 : 90.0;
    };
    RedisBudgets a = node(nodeA, spent);
    RedisBudgets b = node(nodeB, spent);
    BudgetLimits limits = new BudgetLimits(5, 100);

    assertThat(a.reserve("k1", 0.99, limits, NOON)).isInstanceOf(Reservation.class);
    assertThat(b.reserve("k1", 0.02, limits, NOON)).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.DAY);
      assertThat(r.remainingUsd()).isCloseTo(0.01, within(1e-9));
    });
    assertThat(asked).containsExactly("k1@2025-01-15T00:00:00Z", "k1@2025-01-01T00:00:00Z");
  }

  @Test
  void aNewDayStartsFromItsOwnHistoryAndTheMonthCarriesOn() {
    RedisBudgets a = node(nodeA, history);
    BudgetLimits limits = new BudgetLimits(1, 1.5);
    ((Reservation) a.reserve("k1", 1, limits, NOON)).settle(1);
    assertThat(a.reserve("k1", 0.1, limits, NOON)).isInstanceOf(BudgetRefusal.class);

    Instant tomorrow = Instant.parse("2025-01-16T09:00:00Z");
    assertThat(a.reserve("k1", 0.6, limits, tomorrow)).isInstanceOfSatisfying(BudgetRefusal.class, r -> {
      assertThat(r.period()).isEqualTo(BudgetPeriod.MONTH);
      assertThat(r.remainingUsd()).isCloseTo(0.5, within(1e-9));
    });
    assertThat(a.reserve("k1", 0.5, limits, tomorrow)).isInstanceOf(Reservation.class);
    assertThat(historyAsked).contains("k1@2025-01-16T00:00:00Z");
  }

  @Test
  void holdsOfANodeThatDiedLapseWhenTheirLeaseEnds() {
    RedisBudgets dying = node(nodeA, history);
    RedisBudgets survivor = node(nodeB, history);
    BudgetLimits limits = BudgetLimits.daily(1);
    assertThat(dying.reserve("k1", 1, limits, NOON)).isInstanceOf(Reservation.class); // never settled

    assertThat(survivor.reserve("k1", 0.5, limits, NOON.plus(LEASE).minusSeconds(1))).isInstanceOf(BudgetRefusal.class);
    assertThat(survivor.reserve("k1", 0.5, limits, NOON.plus(LEASE).plusSeconds(1))).isInstanceOf(Reservation.class);
  }

  @Test
  void aCallThatOutlivesItsLeaseIsStillCharged() {
    RedisBudgets a = node(nodeA, history);
    BudgetLimits limits = BudgetLimits.daily(1);
    Reservation slow = (Reservation) a.reserve("k1", 0.5, limits, NOON);
    assertThat(a.reserve("k1", 0.1, limits, NOON.plus(LEASE).plusSeconds(1))).isInstanceOf(Reservation.class);

    slow.settle(0.8);

    assertThat(a.reserve("k1", 0.11, limits, NOON.plus(LEASE).plusSeconds(2))).isInstanceOf(BudgetRefusal.class);
  }

  @Test
  void lowersTheEffortAcrossNodes() {
    RedisBudgets a = node(nodeA, history);
    RedisBudgets b = node(nodeB, history);
    BudgetLimits limits = BudgetLimits.daily(1);
    ((Reservation) a.reserve("k1", 0.75, limits, NOON)).settle(0.75);

    EffortFit fit = b.lowerUntilFits("k1", Effort.MAX, level -> 0.01 * Math.pow(5, level.ordinal()), limits, NOON);

    assertThat(fit).isInstanceOfSatisfying(EffortFit.Fitted.class,
        f -> assertThat(f.effort()).isEqualTo(Effort.HIGH)); // high: $0.25 fits the $0.25 left; xhigh: $1.25 does not
  }

  @Test
  void callsSendTheScriptsBySha() {
    RedisBudgets a = node(nodeA, history);
    long before = evalshaCalls();
    ((Reservation) a.reserve("k1", 0.5, BudgetLimits.daily(1), NOON)).settle(0.25);
    assertThat(evalshaCalls() - before).as("EVALSHA calls: a reservation and its settlement").isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRedisThatForgotTheScriptsIsSentThemAgain() {
    RedisBudgets a = node(nodeA, history);
    BudgetLimits limits = BudgetLimits.daily(1);
    Reservation held = (Reservation) a.reserve("k1", 0.5, limits, NOON);

    flushScripts(); // as after a Redis restart
    held.settle(0.5);
    flushScripts();
    assertThat(a.reserve("k1", 0.6, limits, NOON)).as("the settlement was charged").isInstanceOf(BudgetRefusal.class);
    assertThat(a.reserve("k1", 0.5, limits, NOON)).isInstanceOf(Reservation.class);
  }

  private static void flushScripts() {
    try (var c = nodeA.connect()) {
      c.sync().scriptFlush();
    }
  }

  private static long evalshaCalls() {
    try (var c = nodeA.connect()) {
      String stats = c.sync().info("commandstats");
      return stats.lines().filter(l -> l.startsWith("cmdstat_evalsha:")).findFirst()
          .map(l -> Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',', l.indexOf("calls=")))))
          .orElse(0L);
    }
  }

  private RedisBudgets node(RedisClient client, SpendHistory spent) {
    RedisBudgets budgets = new RedisBudgets(client, prefix, spent, LEASE, Duration.ofSeconds(5));
    opened.add(budgets);
    return budgets;
  }
}
