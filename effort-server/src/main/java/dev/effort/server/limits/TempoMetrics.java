package dev.effort.server.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The guard's gauges, per key: current rate, usual rate, throttled (0 or 1), and a count of
 * throttles. Key ids, not secrets, are the tag; their number is the number of keys.
 */
public final class TempoMetrics implements TempoListener {
  private final TempoGuard guard;
  private final MeterRegistry registry;

  private TempoMetrics(TempoGuard guard, MeterRegistry registry) {
    this.guard = guard;
    this.registry = registry;
  }

  /** Registers gauges for the keys seen so far and for every key seen from now on. */
  public static TempoMetrics bind(TempoGuard guard, MeterRegistry registry) {
    TempoMetrics metrics = new TempoMetrics(guard, registry);
    guard.addListener(metrics);
    guard.keyIds().forEach(metrics::keySeen);
    return metrics;
  }

  @Override
  public void keySeen(String keyId) {
    Gauge.builder("effort_tempo_requests_per_second", guard, g -> g.reading(keyId).perSecond())
        .description("Requests per second of a key over the guard's last window")
        .tag("key", keyId).register(registry);
    Gauge.builder("effort_tempo_baseline_requests_per_second", guard, g -> g.reading(keyId).baselinePerSecond())
        .description("Usual requests per second of a key, as the guard learned it")
        .tag("key", keyId).register(registry);
    Gauge.builder("effort_tempo_throttled", guard, g -> g.reading(keyId).throttled() ? 1 : 0)
        .description("1 while the machine-speed guard throttles a key")
        .tag("key", keyId).register(registry);
  }

  @Override
  public void throttled(TempoReading reading) {
    Counter.builder("effort_tempo_throttles").description("Times a key was throttled for machine-speed tempo")
        .tag("key", reading.keyId()).register(registry).increment();
  }
}
