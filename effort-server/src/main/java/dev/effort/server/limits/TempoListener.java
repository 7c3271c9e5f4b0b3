package dev.effort.server.limits;

import java.util.logging.Logger;

/** Told by the {@link TempoGuard} what happens to keys: for logs, metrics and alerts. */
public interface TempoListener {

  /** The guard saw {@code keyId} for the first time (metrics register its gauges here). */
  default void keySeen(String keyId) {}

  /** {@code reading.keyId()} went beyond its usual tempo and is throttled from now on. */
  default void throttled(TempoReading reading) {}

  /** A throttled key is back under its limit and admitted again. */
  default void released(TempoReading reading) {}

  /** Logs a warning when a key is throttled and a note when it is released. */
  static TempoListener logging() {
    Logger log = Logger.getLogger(TempoGuard.class.getName());
    return new TempoListener() {
      @Override
      public void throttled(TempoReading r) {
        log.warning(() -> String.format(java.util.Locale.ROOT,
            "key %s throttled: %.1f requests/s against a usual %.2f (limit %.1f)%s",
            r.keyId(), r.perSecond(), r.baselinePerSecond(), r.thresholdPerSecond(), r.agent() ? " [agent]" : ""));
      }

      @Override
      public void released(TempoReading r) {
        log.info(() -> "key " + r.keyId() + " released: back under its tempo limit");
      }
    };
  }
}
