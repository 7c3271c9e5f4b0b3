package dev.effort.server;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, and sums of up to three figures, of what the ledger does not keep (refusals before a plan ran, auto's forecast
 * saving), per name and per minute, for the last day: the dashboard's windows are at most a day.
 * In memory, per node.
 */
final class MinuteTotals {
  private static final long KEPT_MINUTES = 24 * 60 + 1;

  static final int FIGURES = 3;

  /** What happened under one name since a time: how often, and the sum of each of its figures. */
  record Totals(long count, double[] sums) {
    static Totals none() {
      return new Totals(0, new double[FIGURES]);
    }
  }

  private record Bucket(LongAdder count, DoubleAdder[] sums) {
    Bucket() {
      this(new LongAdder(), new DoubleAdder[] {new DoubleAdder(), new DoubleAdder(), new DoubleAdder()});
    }
  }

  private final Clock clock;
  private final Map<String, ConcurrentSkipListMap<Long, Bucket>> byName = new ConcurrentHashMap<>();

  MinuteTotals(Clock clock) {
    this.clock = clock;
  }

  void add(String name, double... figures) {
    long minute = clock.millis() / 60_000;
    ConcurrentSkipListMap<Long, Bucket> minutes = byName.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
    Bucket b = minutes.computeIfAbsent(minute, m -> new Bucket());
    b.count().increment();
    for (int i = 0; i < figures.length; i++) {
      b.sums()[i].add(figures[i]);
    }
    minutes.headMap(minute - KEPT_MINUTES).clear();
  }

  void count(String name) {
    add(name);
  }

  /** The totals of the minutes that began at or after {@code from}'s minute. */
  Totals since(String name, Instant from) {
    ConcurrentSkipListMap<Long, Bucket> minutes = byName.get(name);
    if (minutes == null) {
      return Totals.none();
    }
    Totals t = Totals.none();
    long count = 0;
    for (Bucket b : minutes.tailMap(from.toEpochMilli() / 60_000).values()) {
      count += b.count().sum();
      for (int i = 0; i < FIGURES; i++) {
        t.sums()[i] += b.sums()[i].sum();
      }
    }
    return new Totals(count, t.sums());
  }
}
