package dev.effort.benchmarks.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scenario measured.
 *
 * @param requests measured requests sent (successes and errors)
 * @param errors by kind (e.g. {@code HTTP 502}), never dropped from the count
 * @param throughput successful answers per second over the measured window
 * @param latency scheduled start (open loop) or send (closed loop) to last byte, successes only
 * @param ttft to the first server-sent event, for streams; {@code latency} again for whole answers
 * @param sendLag how late the generator sent after the scheduled start: large values mean the
 *     generator itself could not keep up and the figures include its queueing
 * @param othersCpu share of the machine's CPU other processes took meanwhile (NaN: unknown)
 * @param cpuMicrosPerRequest CPU time of this whole process (generator, gateway, upstream) per
 *     measured request: unlike latency, hardly moved by busy neighbours
 */
public record ScenarioResult(String name, int requests, Map<String, Integer> errors, double throughput,
    Percentiles latency, Percentiles ttft, Percentiles sendLag, double othersCpu, double cpuMicrosPerRequest) {

  int errorCount() {
    return errors.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Milliseconds at the usual percentiles; NaN when there was no sample. Also used by the soak. */
  public record Percentiles(double p50, double p90, double p99, double max) {
    public static Percentiles of(long[] nanos, int n) {
      if (n == 0) {
        return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      long[] sorted = Arrays.copyOf(nanos, n);
      Arrays.sort(sorted);
      return new Percentiles(ms(at(sorted, 0.50)), ms(at(sorted, 0.90)), ms(at(sorted, 0.99)), ms(sorted[n - 1]));
    }

    /** The nearest-rank percentile: the smallest sample with at least share q of all at or below it. */
    private static long at(long[] sorted, double q) {
      int rank = (int) Math.ceil(q * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(long nanos) {
      return nanos / 1e6;
    }
  }

  /** Collects outcomes from many threads; cheap next to an HTTP exchange, so simply synchronized. */
  static final class Recorder {
    private long[] latencies = new long[4096];
    private long[] ttfts = new long[4096];
    private long[] lags = new long[4096];
    private int successes;
    private int lagCount;
    private final Map<String, Integer> errors = new TreeMap<>();

    synchronized void add(ChatClient.Outcome outcome) {
      if (outcome.error() != null) {
        error(outcome.error());
        return;
      }
      if (successes == latencies.length) {
        latencies = Arrays.copyOf(latencies, successes * 2);
        ttfts = Arrays.copyOf(ttfts, successes * 2);
      }
      latencies[successes] = outcome.latencyNanos();
      ttfts[successes] = outcome.ttftNanos();
      successes++;
    }

    synchronized void error(String kind) {
      errors.merge(kind, 1, Integer::sum);
    }

    synchronized void errors(String kind, int n) {
      if (n > 0) {
        errors.merge(kind, n, Integer::sum);
      }
    }

    synchronized void sendLag(long nanos) {
      if (lagCount == lags.length) {
        lags = Arrays.copyOf(lags, lagCount * 2);
      }
      lags[lagCount++] = nanos;
    }

    synchronized int successes() {
      return successes;
    }

    /** Requests ended so far, answered or failed. */
    synchronized int outcomes() {
      return successes + errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @param from the machine when measuring began, {@code to} when the last measured request ended */
    synchronized ScenarioResult result(String name, double seconds, MachineLoad from, MachineLoad to) {
      int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
      int requests = successes + errorCount;
      double cpuMicros = (to.processCpuNanos() - from.processCpuNanos()) / 1e3 / Math.max(1, requests);
      return new ScenarioResult(name, requests, new TreeMap<>(errors), successes / seconds,
          Percentiles.of(latencies, successes), Percentiles.of(ttfts, successes), Percentiles.of(lags, lagCount),
          to.othersShareSince(from), cpuMicros);
    }
  }
}
