package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-memory limiter, at a clock that moves only when told: every count is exact. */
class BucketRateLimiterTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-15T12:00:00Z"));
  private final BucketRateLimiter limiter = BucketRateLimiter.inMemory(clock);

  @Test
  void allowsExactlyTheRequestsPerMinute() {
    List<RateDecision> decisions = IntStream.range(0, 200).mapToObj(i -> limiter.tryAcquire("k1", 50, 0, 0)).toList();

    assertThat(decisions).filteredOn(RatePermit.class::isInstance).hasSize(50);
    assertThat(decisions.get(50)).isInstanceOfSatisfying(RateRefusal.class, r -> {
      assertThat(r.limit()).isEqualTo(RateRefusal.Limit.REQUESTS);
      assertThat(r.retryAfter()).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200)); // 60 s / 50
      assertThat(r.retryAfterSeconds()).isEqualTo(2);
      assertThat(r.message()).isEqualTo("Key k1 is over its limit of 50 requests per minute; retry after 2 s.");
    });
  }

  @Test
  void refillsAtTheLimitsPaceAndNeverAboveIt() {
    drain("k1", 60);
    clock.advance(Duration.ofSeconds(1));
    assertThat(acquired("k1", 60, 10)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    assertThat(acquired("k1", 60, 100)).isEqualTo(60);
  }

  @Test
  void chargesTheTokenEstimateAndRefusesBeyondTheTokensPerMinute() {
    assertThat(limiter.tryAcquire("k1", 0, 1000, 400)).isInstanceOf(RatePermit.class);
    assertThat(limiter.tryAcquire("k1", 0, 1000, 400)).isInstanceOf(RatePermit.class);

    assertThat(limiter.tryAcquire("k1", 0, 1000, 400)).isInstanceOfSatisfying(RateRefusal.class, r -> {
      assertThat(r.limit()).isEqualTo(RateRefusal.Limit.TOKENS);
      assertThat(r.retryAfter()).isBetween(Duration.ofMillis(11_999), Duration.ofSeconds(12)); // 200 tokens at 1000/min
      assertThat(r.message()).contains("1000 tokens per minute");
    });
  }

  @Test
  void settlingGivesUnusedTokensBack() {
    RatePermit first = (RatePermit) limiter.tryAcquire("k1", 0, 1000, 900);
    assertThat(limiter.tryAcquire("k1", 0, 1000, 500)).isInstanceOf(RateRefusal.class);

    first.settle(300);

    assertThat(limiter.tryAcquire("k1", 0, 1000, 700)).isInstanceOf(RatePermit.class);
    assertThat(limiter.tryAcquire("k1", 0, 1000, 1)).isInstanceOf(RateRefusal.class);
  }

  @Test
  void tokensBeyondTheEstimateAreDebtThatLaterRequestsWaitOut() {
    RatePermit permit = (RatePermit) limiter.tryAcquire("k1", 0, 1000, 100);
    permit.settle(1500); // the allowance is now 500 tokens in debt

    assertThat(limiter.tryAcquire("k1", 0, 1000, 100)).isInstanceOfSatisfying(RateRefusal.class,
        r -> assertThat(r.retryAfter()).isBetween(Duration.ofMillis(35_999), Duration.ofSeconds(36)));
    clock.advance(Duration.ofSeconds(36));
    assertThat(limiter.tryAcquire("k1", 0, 1000, 100)).isInstanceOf(RatePermit.class);
  }

  @Test
  void onlyTheFirstSettleCounts() {
    RatePermit permit = (RatePermit) limiter.tryAcquire("k1", 0, 1000, 1000);
    permit.settle(0);
    permit.settle(5000);

    assertThat(limiter.tryAcquire("k1", 0, 1000, 1000)).isInstanceOf(RatePermit.class);
  }

  @Test
  void aRequestRefusedForTokensDoesNotUseARequestSlot() {
    assertThat(limiter.tryAcquire("k1", 2, 100, 100)).isInstanceOf(RatePermit.class);
    assertThat(limiter.tryAcquire("k1", 2, 100, 100)).isInstanceOf(RateRefusal.class);

    assertThat(limiter.tryAcquire("k1", 2, 100, 0)).isInstanceOf(RatePermit.class);
    assertThat(limiter.tryAcquire("k1", 2, 100, 0)).isInstanceOfSatisfying(RateRefusal.class,
        r -> assertThat(r.limit()).isEqualTo(RateRefusal.Limit.REQUESTS));
  }

  @Test
  void anEstimateAboveTheWholeAllowanceIsChargedAsTheAllowance() {
    RateDecision decision = limiter.tryAcquire("k1", 0, 1000, 200_000);

    assertThat(decision).isInstanceOfSatisfying(RatePermit.class, p -> assertThat(p.chargedTokens()).isEqualTo(1000));
    assertThat(limiter.tryAcquire("k1", 0, 1000, 1)).isInstanceOf(RateRefusal.class);
  }

  @Test
  void zeroMeansNoLimit() {
    assertThat(IntStream.range(0, 10_000).mapToObj(i -> limiter.tryAcquire("k1", 0, 0, 1_000_000)))
        .allMatch(RatePermit.class::isInstance);
  }

  @Test
  void keysHaveTheirOwnAllowances() {
    drain("k1", 5);

    assertThat(acquired("k2", 5, 10)).isEqualTo(5);
    assertThat(acquired("k1", 5, 10)).isZero();
  }

  @Test
  void aNewLimitTakesEffectAtOnce() {
    drain("k1", 5);

    assertThat(acquired("k1", 10, 20)).isEqualTo(10);
  }

  @Test
  void rejectsANegativeEstimate() {
    assertThatThrownBy(() -> limiter.tryAcquire("k1", 10, 10, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  private void drain(String keyId, long rpm) {
    assertThat(acquired(keyId, rpm, (int) rpm)).isEqualTo(rpm);
  }

  private long acquired(String keyId, long rpm, int attempts) {
    return IntStream.range(0, attempts).mapToObj(i -> limiter.tryAcquire(keyId, rpm, 0, 0))
        .filter(RatePermit.class::isInstance).count();
  }
}
