package dev.effort.server.limits;

import java.time.Duration;

/** The {@code retry-after} header counts whole seconds: round up, so a client never comes back early. */
final class RetryAfter {
  private RetryAfter() {}

  static long seconds(Duration wait) {
    long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
