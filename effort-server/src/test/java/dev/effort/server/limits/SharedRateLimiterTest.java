package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * ({@link TestRedis}); each test writes under its own random key prefix. The buckets' arithmetic
 * is the in-memory limiter's ({@link BucketRateLimiterTest}); these check it holds across nodes.
 */
class SharedRateLimiterTest {
  private static RedisClient nodeA;
  private static RedisClient nodeB;

  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-15T12:00:00Z"));
  private final String prefix = "effort-test:" + UUID.randomUUID() + ":";
  private RedisRateLimiter limiterA;
  private RedisRateLimiter limiterB;

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
    limiterA = new RedisRateLimiter(nodeA, prefix, Duration.ofSeconds(5), clock);
    limiterB = new RedisRateLimiter(nodeB, prefix, Duration.ofSeconds(5), clock);
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
        RedisRateLimiter node = i % 2 == 0 ? limiterA : limiterB;
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

  @Test
  void requestsAndTokensAreTakenTogetherOrNotAtAll() {
    assertThat(limiterA.tryAcquire("k1", 2, 100, 100)).isInstanceOf(RatePermit.class);
    assertThat(limiterB.tryAcquire("k1", 2, 100, 100)).isInstanceOfSatisfying(RateRefusal.class, r -> {
      assertThat(r.limit()).isEqualTo(RateRefusal.Limit.TOKENS);
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    });

    // The refusal for tokens took no request slot: the second request still fits.
    assertThat(limiterB.tryAcquire("k1", 2, 100, 0)).isInstanceOf(RatePermit.class);
    assertThat(limiterA.tryAcquire("k1", 2, 100, 0)).isInstanceOfSatisfying(RateRefusal.class, r -> {
      assertThat(r.limit()).isEqualTo(RateRefusal.Limit.REQUESTS);
      assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    });
  }

  @Test
  void debtSettledOnOneNodeIsWaitedOutOnTheOther() {
    RatePermit permit = (RatePermit) limiterA.tryAcquire("k1", 0, 1000, 100);
    permit.settle(1500); // 500 tokens in debt
    permit.settle(0); // only the first settle counts

    assertThat(limiterB.tryAcquire("k1", 0, 1000, 100)).isInstanceOfSatisfying(RateRefusal.class,
        r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(36)));
    clock.advance(Duration.ofSeconds(36));
    assertThat(limiterB.tryAcquire("k1", 0, 1000, 100)).isInstanceOf(RatePermit.class);
  }

  @Test
  void aRedisThatForgotTheScriptIsSentItAgain() {
    assertThat(limiterA.tryAcquire("k1", 2, 0, 0)).isInstanceOf(RatePermit.class);

    flushScripts(); // as after a Redis restart
    assertThat(limiterA.tryAcquire("k1", 2, 0, 0)).isInstanceOf(RatePermit.class);
    assertThat(limiterB.tryAcquire("k1", 2, 0, 0)).isInstanceOf(RateRefusal.class);

    RatePermit permit = (RatePermit) limiterA.tryAcquire("k2", 0, 1000, 1000);
    flushScripts();
    permit.settle(0);
    assertThat(limiterB.tryAcquire("k2", 0, 1000, 1000)).as("the settlement gave the tokens back")
        .isInstanceOf(RatePermit.class);
  }

  @Test
  void aCheckIsOneRoundTripByShaAndASettleAnother() throws Exception {
    limiterA.tryAcquire("warm", 10, 1000, 10); // connection open and script known

    List<String> commands = commandsSentWhile(() -> {
      RatePermit permit = (RatePermit) limiterA.tryAcquire("k1", 10, 1000, 100);
      permit.settle(40);
    });

    assertThat(commands).hasSize(2).allSatisfy(c -> assertThat(c).startsWithIgnoringCase("\"EVALSHA\""));
    assertThat(commands.get(0)).contains(prefix + "{k1}:rpm:10", prefix + "{k1}:tpm:1000");
    assertThat(commands.get(1)).contains(prefix + "{k1}:tpm:1000").doesNotContain("rpm");
  }

  private static void flushScripts() {
    try (StatefulRedisConnection<String, String> c = nodeA.connect()) {
      c.sync().scriptFlush();
    }
  }

  /**
   * The commands naming this test's keys that clients sent to Redis while {@code action} ran, as
   * MONITOR shows them ({@code "EVALSHA" "sha" ...}); the commands scripts run inside Redis are left out.
   */
  private List<String> commandsSentWhile(Runnable action) throws Exception {
    URI uri = URI.create(TestRedis.URI);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
      socket.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      out.write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(in.readLine()).isEqualTo("+OK");
      action.run();
      String end = prefix + "end";
      try (StatefulRedisConnection<String, String> c = nodeA.connect()) {
        c.sync().get(end); // marks the end of the action in MONITOR's stream
      }
      List<String> commands = new ArrayList<>();
      for (String line = in.readLine(); !line.contains(end); line = in.readLine()) {
        if (line.contains(prefix) && !line.contains(" lua] ")) {
          commands.add(line.substring(line.indexOf("] ") + 2));
        }
      }
      return commands;
    }
  }
}
