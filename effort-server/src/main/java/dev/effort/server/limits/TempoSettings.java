package dev.effort.server.limits;

import java.time.Duration;

/**
 * When the {@link TempoGuard} throttles a key: its request rate over the last {@code window} is
 * more than {@code multiplier} times its usual rate, and more than {@code minPerSecond} (so a quiet
 * key's first burst is not "20 times" nothing). The usual rate is a moving average of requests per
 * window whose weight halves every {@code halfLife}; a throttled key waits {@code cooldown}.
 */
public record TempoSettings(
    Duration window, double multiplier, double minPerSecond, Duration halfLife, Duration cooldown) {

  /** People and their apps: 20 times the usual rate, and above 2 requests/s, over 10 s. */
  public static final TempoSettings DEFAULTS =
      new TempoSettings(Duration.ofSeconds(10), 20, 2, Duration.ofHours(1), Duration.ofSeconds(10));

  /** Keys marked as automated agents loop fast by design: five times the room. */
  public static final TempoSettings AGENT_DEFAULTS = DEFAULTS.scaled(5);

  public TempoSettings {
    requirePositive("window", window);
    requirePositive("halfLife", halfLife);
    requirePositive("cooldown", cooldown);
    if (!(multiplier > 1) || !Double.isFinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number above 1, not " + multiplier);
    }
    if (!(minPerSecond >= 0) || !Double.isFinite(minPerSecond)) {
      throw new IllegalArgumentException("minPerSecond must be a finite number >= 0, not " + minPerSecond);
    }
  }

  /** The same settings with {@code factor} times the multiplier and the minimum rate. */
  public TempoSettings scaled(double factor) {
    return new TempoSettings(window, multiplier * factor, minPerSecond * factor, halfLife, cooldown);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, not " + d);
    }
  }
}
