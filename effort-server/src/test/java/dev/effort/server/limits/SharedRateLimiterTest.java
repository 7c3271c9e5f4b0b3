package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes (two limiters, each with its own Lettuce client) sharing one real Redis
 * ({@link TestRedis}); each test writes under its own random key prefix.
 */
class SharedRateLimiterTest {
  private static RedisClient nodeA;
  private static RedisClient nodeB;

  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-15T12:00:00Z"));
  private final String prefix = "effort-test:" + UUID.randomUUID() + ":";
  private BucketRateLimiter limiterA;
  private BucketRateLimiter limiterB;

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

  @BeforeEach
  void startNodes() {
    limiterA = BucketRateLimiter.shared(nodeA, prefix, Duration.ofSeconds(5), clock);
    limiterB = BucketRateLimiter.shared(nodeB, prefix, Duration.ofSeconds(5), clock);
  }

  @AfterEach
  void stopNodes() {
    limiterA.close();
    limiterB.close();
    TestRedis.deleteUnder(nodeA, prefix);
  }

  @Test
  void twoNodesSharingRedisEnforceOneLimit() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<RateDecision>> decisions = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        BucketRateLimiter node = i % 2 == 0 ? limiterA : limiterB;
        decisions.add(threads.submit(() -> {
          start.await();
          return node.tryAcquire("k1", 50, 0, 0);
        }));
      }
      start.countDown();
    }

    long allowed = 0;
    for (Future<RateDecision> d : decisions) {
      if (d.get(30, TimeUnit.SECONDS) instanceof RatePermit) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(50);
    assertThat(limiterA.tryAcquire("k1", 50, 0, 0)).isInstanceOf(RateRefusal.class);
    assertThat(limiterB.tryAcquire("k1", 50, 0, 0)).isInstanceOfSatisfying(RateRefusal.class,
        r -> assertThat(r.retryAfterSeconds()).isEqualTo(2));
  }

  @Test
  void tokensSettledOnOneNodeAreSeenByTheOther() {
    RatePermit onA = (RatePermit) limiterA.tryAcquire("k1", 0, 1000, 800);
    assertThat(limiterB.tryAcquire("k1", 0, 1000, 400)).isInstanceOf(RateRefusal.class);

    onA.settle(100);

    assertThat(limiterB.tryAcquire("k1", 0, 1000, 400)).isInstanceOf(RatePermit.class);
    assertThat(limiterA.tryAcquire("k1", 0, 1000, 600)).isInstanceOf(RateRefusal.class);
  }

  @Test
  void bothNodesRefillFromTheSharedState() {
    for (int i = 0; i < 10; i++) {
      assertThat((i % 2 == 0 ? limiterA : limiterB).tryAcquire("k1", 10, 0, 0)).isInstanceOf(RatePermit.class);
    }
    assertThat(limiterA.tryAcquire("k1", 10, 0, 0)).isInstanceOf(RateRefusal.class);

    clock.advance(Duration.ofSeconds(6)); // one request's worth at 10 per minute

    assertThat(limiterB.tryAcquire("k1", 10, 0, 0)).isInstanceOf(RatePermit.class);
    assertThat(limiterA.tryAcquire("k1", 10, 0, 0)).isInstanceOf(RateRefusal.class);
  }

  @Test
  void bucketsLiveUnderTheirPrefixAndExpire() {
    limiterA.tryAcquire("k1", 10, 1000, 10);

    try (StatefulRedisConnection<String, String> redis = nodeA.connect()) {
      List<String> keys = redis.sync().keys(prefix + "*");
      assertThat(keys).hasSize(2).allSatisfy(k -> assertThat(redis.sync().pttl(k)).isPositive());
    }
  }
}
