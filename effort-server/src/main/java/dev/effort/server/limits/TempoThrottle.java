package dev.effort.server.limits;

import java.time.Duration;
import java.util.Locale;

/** A request refused because its key runs far beyond its usual tempo. */
public record TempoThrottle(TempoReading reading, Duration retryAfter) {

  /** Whole seconds, rounded up: the {@code retry-after} header. */
  public long retryAfterSeconds() {
    return RetryAfter.seconds(retryAfter);
  }

  public String message() {
    return String.format(Locale.ROOT,
        "Key %s is sending %.1f requests/s, far above its usual %.2f requests/s (limit %.1f); "
            + "throttled, retry after %d s. If this pace is intended, mark the key as an agent.",
        reading.keyId(), reading.perSecond(), reading.baselinePerSecond(), reading.thresholdPerSecond(),
        retryAfterSeconds());
  }
}
