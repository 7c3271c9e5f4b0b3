package dev.effort.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The time windows {@code /admin/stats} and the dashboard offer. */
enum StatsWindow {
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  HOUR("1h", Duration.ofHours(1)),
  DAY("1d", Duration.ofDays(1));

  final String wireName;
  final Duration length;

  StatsWindow(String wireName, Duration length) {
    this.wireName = wireName;
    this.length = length;
  }

  /** @throws WireError 400 naming the accepted values */
  static StatsWindow parse(String value) {
    for (StatsWindow w : values()) {
      if (w.wireName.equals(value)) {
        return w;
      }
    }
    throw WireError.invalid("window: '" + RequestFields.clip(value) + "' is not accepted; accepted: "
        + Arrays.stream(values()).map(w -> w.wireName).collect(Collectors.joining(", ")), "window");
  }
}
