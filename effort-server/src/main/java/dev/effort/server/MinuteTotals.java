package dev.effort.server;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and sums of what the ledger does not keep (refusals before a plan ran, auto's forecast
 * saving), per name and per minute, for the last day: the dashboard's windows are at most a day.
 * In memory, per node.
 */
final class MinuteTotals {
  private static final long KEPT_MINUTES = 24 * 60 + 1;

  /** What happened under one name since a time: how often, and the sums of its two figures. */
  record Totals(long count, double first, double second) {
    static final Totals NONE = new Totals(0, 0, 0);
  }

  private record Bucket(LongAdder count, DoubleAdder first, DoubleAdder second) {
    Bucket() {
      this(new LongAdder(), new DoubleAdder(), new DoubleAdder());
    }
  }

  private final Clock clock;
  private final Map<String, ConcurrentSkipListMap<Long, Bucket>> byName = new ConcurrentHashMap<>();

  MinuteTotals(Clock clock) {
    this.clock = clock;
  }

  void add(String name, double first, double second) {
    long minute = clock.millis() / 60_000;
    ConcurrentSkipListMap<Long, Bucket> minutes = byName.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
    Bucket b = minutes.computeIfAbsent(minute, m -> new Bucket());
    b.count().increment();
    b.first().add(first);
    b.second().add(second);
    minutes.headMap(minute - KEPT_MINUTES).clear();
  }

  void count(String name) {
    add(name, 0, 0);
  }

  /** The totals of the minutes that began at or after {@code from}'s minute. */
  Totals since(String name, Instant from) {
    ConcurrentSkipListMap<Long, Bucket> minutes = byName.get(name);
    if (minutes == null) {
      return Totals.NONE;
    }
    long count = 0;
    double first = 0;
    double second = 0;
    for (Bucket b : minutes.tailMap(from.toEpochMilli() / 60_000).values()) {
      count += b.count().sum();
      first += b.first().sum();
      second += b.second().sum();
    }
    return new Totals(count, first, second);
  }
}
