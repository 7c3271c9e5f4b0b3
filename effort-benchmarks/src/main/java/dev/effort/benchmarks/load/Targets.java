package dev.effort.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets for the gateway with governance on, each checked against one run's figures:
 * what the gateway adds at a fixed rate (gateway minus direct, same run), its share of direct's
 * throughput at full speed, and many slow streams held in a bounded heap.
 */
final class Targets {
  static final int RATE = 1000;
  static final double JSON_ADDED_P50_MS = 0.3;
  static final double JSON_ADDED_P99_MS = 2.0;
  static final double STREAM_ADDED_P99_MS = 3.0;
  static final double POSTGRES_ADDED_P99_MS = 3.0;
  static final double CLOSED_RATIO = 0.5;
  static final int STREAMS = 1000;
  static final double STREAMS_HEAP_MIB = 256;

  enum Verdict { PASS, FAIL, NOT_RUN }

  record Check(String what, String measured, Verdict verdict) {}

  /**
   * One scenario's result.
   *
   * @param kind json, stream, tool or closed
   * @param gatewayCpuMicros CPU time of the gateway process per request (NaN: direct, or unknown)
   */
  record Run(String target, String kind, ScenarioResult result, double gatewayCpuMicros) {}

  private Targets() {}

  static List<Check> check(List<Run> runs, Optional<ManyStreams.Outcome> streams) {
    List<Check> checks = new ArrayList<>();
    checks.add(added(runs, GatewaySetup.SQLITE, "json", "p50", JSON_ADDED_P50_MS));
    checks.add(added(runs, GatewaySetup.SQLITE, "json", "p99", JSON_ADDED_P99_MS));
    checks.add(added(runs, GatewaySetup.SQLITE, "stream", "p99", STREAM_ADDED_P99_MS));
    checks.add(added(runs, GatewaySetup.POSTGRES, "json", "p99", POSTGRES_ADDED_P99_MS));
    for (String setup : List.of(GatewaySetup.SQLITE, GatewaySetup.POSTGRES)) {
      String what = "closed loop " + setup + " >= " + CLOSED_RATIO + " of direct";
      checks.add(ratio(runs, setup).map(r -> new Check(what, f("%.2f", r), verdict(r >= CLOSED_RATIO)))
          .orElse(notRun(what)));
    }
    List<Run> viaGateway = runs.stream().filter(r -> !r.target().equals(Target.DIRECT)).toList();
    int errors = viaGateway.stream().mapToInt(r -> r.result().errorCount()).sum();
    checks.add(viaGateway.isEmpty() ? notRun("no errors through the gateways")
        : new Check("no errors through the gateways", errors + " errors", verdict(errors == 0)));
    String streamsWhat = STREAMS + " streams at once: all open, none failed";
    String heapWhat = STREAMS + " streams: heap <= " + (int) STREAMS_HEAP_MIB + " MiB";
    if (streams.isEmpty() || streams.get().result().requests() < STREAMS) {
      checks.add(notRun(streamsWhat));
      checks.add(notRun(heapWhat));
    } else {
      ManyStreams.Outcome s = streams.get();
      int failed = s.result().errorCount();
      checks.add(new Check(streamsWhat, f("%d open, %d failed", s.openAtOnce(), failed),
          verdict(failed == 0 && s.openAtOnce() >= STREAMS)));
      double heap = s.memory().heapUsed();
      checks.add(new Check(heapWhat, f("%.0f MiB", heap), verdict(heap <= STREAMS_HEAP_MIB)));
    }
    return checks;
  }

  /** Gateway minus direct at the percentile, for one kind, or not run when either is missing. */
  private static Check added(List<Run> runs, String setup, String kind, String percentile, double limitMs) {
    String what = kind + " " + setup + " added " + percentile + " <= " + limitMs + " ms";
    Optional<ScenarioResult> direct = find(runs, Target.DIRECT, kind);
    Optional<ScenarioResult> gateway = find(runs, setup, kind);
    if (direct.isEmpty() || gateway.isEmpty()) {
      return notRun(what);
    }
    double added = percentile.equals("p50") ? gateway.get().latency().p50() - direct.get().latency().p50()
        : gateway.get().latency().p99() - direct.get().latency().p99();
    // NaN (no successful request) is a failure too.
    return new Check(what, f("%+.3f ms", added), verdict(added <= limitMs));
  }

  static Optional<Double> ratio(List<Run> runs, String setup) {
    Optional<ScenarioResult> direct = find(runs, Target.DIRECT, "closed");
    Optional<ScenarioResult> gateway = find(runs, setup, "closed");
    if (direct.isEmpty() || gateway.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(gateway.get().throughput() / direct.get().throughput());
  }

  static Optional<ScenarioResult> find(List<Run> runs, String target, String kind) {
    return runs.stream().filter(r -> r.target().equals(target) && r.kind().equals(kind)).map(Run::result).findFirst();
  }

  private static Verdict verdict(boolean met) {
    return met ? Verdict.PASS : Verdict.FAIL;
  }

  private static Check notRun(String what) {
    return new Check(what, "-", Verdict.NOT_RUN);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
