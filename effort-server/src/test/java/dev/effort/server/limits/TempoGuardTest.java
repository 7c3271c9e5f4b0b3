package dev.effort.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TempoGuardTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-15T08:00:00Z"));
  private final Events events = new Events();
  private final TempoGuard guard = new TempoGuard(clock).addListener(events);

  @Test
  void throttlesAKeyThatJumpsFromItsUsualPaceToMachineSpeed() {
    assertThat(run("k1", false, 1, Duration.ofHours(2))).isEmpty();
    Instant jump = clock.instant();

    List<Throttled> throttled = run("k1", false, 40, Duration.ofSeconds(10));

    assertThat(throttled).isNotEmpty();
    Throttled first = throttled.get(0);
    assertThat(Duration.between(jump, first.at())).isLessThan(Duration.ofSeconds(10));
    assertThat(first.throttle().retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(first.throttle().message()).contains("Key k1 is sending", "retry after", "mark the key as an agent");
    assertThat(events.throttled).singleElement().satisfies(r -> {
      assertThat(r.keyId()).isEqualTo("k1");
      assertThat(r.baselinePerSecond()).isCloseTo(1, within(0.05));
      assertThat(r.perSecond()).isGreaterThan(20);
      assertThat(r.throttled()).isTrue();
    });
    assertThat(guard.reading("k1").throttled()).isTrue();
  }

  @Test
  void aKeyThatKeepsHammeringStaysThrottled() {
    run("k1", false, 1, Duration.ofHours(1));
    run("k1", false, 40, Duration.ofSeconds(10));

    List<Throttled> later = run("k1", false, 40, Duration.ofMinutes(2));

    assertThat(later).hasSize(40 * 120);
    assertThat(events.throttled).hasSize(1);
    assertThat(events.released).isEmpty();
  }

  @Test
  void aThrottledKeyThatSlowsDownIsReleased() {
    run("k1", false, 1, Duration.ofHours(1));
    List<Throttled> throttled = run("k1", false, 40, Duration.ofSeconds(10));
    clock.advance(throttled.get(throttled.size() - 1).throttle().retryAfter());

    assertThat(run("k1", false, 1, Duration.ofSeconds(30))).isEmpty();
    assertThat(events.released).singleElement().satisfies(r -> assertThat(r.throttled()).isFalse());
    assertThat(guard.reading("k1").throttled()).isFalse();
  }

  @Test
  void aQuietKeysFirstBurstIsNotMachineSpeed() {
    assertThat(run("fresh", false, 3, Duration.ofSeconds(1))).isEmpty();

    for (int i = 0; i < 12; i++) { // one request every ten minutes for two hours
      assertThat(guard.admit("quiet", false)).isEmpty();
      clock.advance(Duration.ofMinutes(10));
    }
    assertThat(run("quiet", false, 10, Duration.ofMillis(300))).isEmpty();
    assertThat(events.throttled).isEmpty();
  }

  @Test
  void aKeyWithoutHistoryIsHeldToTheMinimumRate() {
    List<Throttled> throttled = run("fresh", false, 40, Duration.ofSeconds(10));

    assertThat(throttled).isNotEmpty();
    assertThat(events.throttled).singleElement()
        .satisfies(r -> assertThat(r.thresholdPerSecond()).isEqualTo(TempoSettings.DEFAULTS.minPerSecond()));
  }

  @Test
  void anAgentKeyUsesItsOwnLimits() {
    run("agent", true, 1, Duration.ofHours(2));

    assertThat(run("agent", true, 40, Duration.ofMinutes(1))).isEmpty();
    assertThat(events.throttled).isEmpty();
    assertThat(guard.reading("agent").agent()).isTrue();
  }

  @Test
  void anAgentKeyIsThrottledAtItsOwnHigherLimits() {
    TempoGuard strict = new TempoGuard(clock, TempoSettings.DEFAULTS, TempoSettings.DEFAULTS.scaled(2)).addListener(events);
    for (int i = 0; i < 3600; i++) {
      strict.admit("agent", true);
      clock.advance(Duration.ofSeconds(1));
    }

    List<Throttled> throttled = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // 60 req/s for 10 s, above 40 times its usual 1 req/s
      strict.admit("agent", true).ifPresent(t -> throttled.add(new Throttled(clock.instant(), t)));
      clock.advance(Duration.ofNanos(1_000_000_000L / 60));
    }
    assertThat(throttled).isNotEmpty();
    assertThat(events.throttled).singleElement().satisfies(r -> assertThat(r.thresholdPerSecond()).isCloseTo(40, within(2.0)));
  }

  @Test
  void aKeyThatSpeedsUpSlowlyIsNotThrottled() {
    run("k1", false, 1, Duration.ofHours(1));
    Duration ramp = Duration.ofHours(3);
    Instant start = clock.instant();
    int throttles = 0;
    while (clock.instant().isBefore(start.plus(ramp))) {
      double fraction = (double) Duration.between(start, clock.instant()).toNanos() / ramp.toNanos();
      double perSecond = 1 + 39 * fraction; // 1 to 40 requests/s
      if (guard.admit("k1", false).isPresent()) {
        throttles++;
      }
      clock.advanceNanos((long) (1e9 / perSecond));
    }

    assertThat(throttles).isZero();
    assertThat(events.throttled).isEmpty();
    assertThat(guard.reading("k1").baselinePerSecond()).isGreaterThan(15); // it learned the new pace
  }

  @Test
  void gaugesShowEachKeysRateBaselineAndThrottle() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TempoMetrics.bind(guard, registry);
    run("k1", false, 1, Duration.ofHours(1));
    run("k1", false, 40, Duration.ofSeconds(10));

    assertThat(registry.get("effort_tempo_throttled").tag("key", "k1").gauge().value()).isEqualTo(1);
    assertThat(registry.get("effort_tempo_baseline_requests_per_second").tag("key", "k1").gauge().value())
        .isCloseTo(1, within(0.05));
    assertThat(registry.get("effort_tempo_requests_per_second").tag("key", "k1").gauge().value()).isGreaterThan(20);
    assertThat(registry.get("effort_tempo_throttles").tag("key", "k1").counter().count()).isEqualTo(1);
  }

  @Test
  void settingsRejectNonsense() {
    assertThatThrownBy(() -> new TempoSettings(Duration.ofSeconds(10), 1, 2, Duration.ofHours(1), Duration.ofSeconds(10)))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new TempoSettings(Duration.ZERO, 20, 2, Duration.ofHours(1), Duration.ofSeconds(10)))
        .hasMessageContaining("window");
  }

  /** Sends requests at {@code perSecond} for {@code span}; returns those throttled. */
  private List<Throttled> run(String keyId, boolean agent, double perSecond, Duration span) {
    long interval = (long) (1e9 / perSecond);
    long count = span.toNanos() / interval;
    List<Throttled> throttled = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      Optional<TempoThrottle> t = guard.admit(keyId, agent);
      t.ifPresent(throttle -> throttled.add(new Throttled(clock.instant(), throttle)));
      clock.advanceNanos(interval);
    }
    return throttled;
  }

  private record Throttled(Instant at, TempoThrottle throttle) {}

  private static final class Events implements TempoListener {
    final List<TempoReading> throttled = new ArrayList<>();
    final List<TempoReading> released = new ArrayList<>();

    @Override
    public void throttled(TempoReading reading) {
      throttled.add(reading);
    }

    @Override
    public void released(TempoReading reading) {
      released.add(reading);
    }
  }
}
