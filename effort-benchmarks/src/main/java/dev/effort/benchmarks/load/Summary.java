package dev.effort.benchmarks.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run report: one table, the gateway's added latency, closed-loop throughput, targets. */
final class Summary {
  /** Targets for whole (JSON) answers at 1,000 requests/s on a 2-core machine. */
  static final double TARGET_ADDED_P50_MS = 0.5;
  static final double TARGET_ADDED_P99_MS = 3.0;
  static final int TARGET_RATE = 1000;

  private final StringBuilder out = new StringBuilder();

  static String of(LoadGateway.Options options, ScenarioResult jsonDirect, ScenarioResult jsonGateway,
      ScenarioResult streamDirect, ScenarioResult streamGateway, ScenarioResult toolDirect, ScenarioResult toolGateway,
      ScenarioResult closedDirect, ScenarioResult closedGateway) {
    Summary s = new Summary();
    s.line("Effort gateway load test: %s", environment());
    s.line("open loop at %d requests/s, %d s warmup + %d s measured per scenario; latency in ms from the SCHEDULED start"
        + " to the last byte; TTFT to the first event; lag = how late the generator sent", options.rate(),
        options.warmup().toSeconds(), options.measured().toSeconds());
    s.line("");
    s.line("%-20s %8s %7s %8s %8s %8s %8s %8s %9s %9s %8s %8s %7s", "scenario", "requests", "errors", "req/s", "p50",
        "p90", "p99", "max", "TTFT p50", "TTFT p99", "lag p99", "CPU us/r", "others");
    List<ScenarioResult> all = List.of(jsonDirect, jsonGateway, streamDirect, streamGateway, toolDirect, toolGateway,
        closedDirect, closedGateway);
    for (ScenarioResult r : all) {
      boolean streamed = r == streamDirect || r == streamGateway || r == toolDirect || r == toolGateway;
      s.line("%-20s %8d %7d %8.1f %8.3f %8.3f %8.3f %8.3f %9s %9s %8s %8.0f %6.0f%%", r.name(), r.requests(),
          r.errorCount(), r.throughput(), r.latency().p50(), r.latency().p90(), r.latency().p99(), r.latency().max(),
          streamed ? f(r.ttft().p50()) : "-", streamed ? f(r.ttft().p99()) : "-",
          r.name().startsWith("closed") ? "-" : f(r.sendLag().p99()), r.cpuMicrosPerRequest(), 100 * r.othersCpu());
    }
    s.line("(closed loop: %d clients back to back, %d s measured after %d s warmup; latency from each send)",
        options.clients(), options.closedMeasured().toSeconds(), options.closedWarmup().toSeconds());
    s.line("(CPU us/r: CPU time of this whole process, generator and upstream included, per request;"
        + " others: share of the machine's CPU that OTHER processes used meanwhile; above a few %% the latencies"
        + " measure the neighbours too)");
    s.line("");
    s.line("added by the gateway      p50 (ms)   p99 (ms)   CPU (us/request)   throughput gateway/direct");
    s.added("json (open loop)", jsonDirect, jsonGateway);
    s.added("stream (open loop)", streamDirect, streamGateway);
    s.added("tool-call stream", toolDirect, toolGateway);
    s.line("%-24s %10s %10s %+18.0f   %.2f (%.0f vs %.0f req/s)", "json (closed loop)", "", "",
        closedGateway.cpuMicrosPerRequest() - closedDirect.cpuMicrosPerRequest(), ratio(closedGateway, closedDirect),
        closedGateway.throughput(), closedDirect.throughput());
    double addedCpu = jsonGateway.cpuMicrosPerRequest() - jsonDirect.cpuMicrosPerRequest();
    s.line("at %d requests/s the gateway's own work (json) takes about %.0f%% of one core; the whole chain in this"
        + " process %.0f%% of the %d cores", options.rate(), addedCpu * options.rate() / 1e4,
        jsonGateway.cpuMicrosPerRequest() * options.rate() / 1e4 / cores(), cores());
    s.line("");
    double addedP50 = jsonGateway.latency().p50() - jsonDirect.latency().p50();
    double addedP99 = jsonGateway.latency().p99() - jsonDirect.latency().p99();
    s.line("targets (json, %d requests/s, 2 cores)%s:", TARGET_RATE,
        options.rate() == TARGET_RATE && cores() == 2 ? ""
            : String.format(Locale.ROOT, " [this run: %d requests/s, %d cores]", options.rate(), cores()));
    s.target("added p50 <= " + TARGET_ADDED_P50_MS + " ms", String.format(Locale.ROOT, "%+.3f ms", addedP50),
        addedP50 <= TARGET_ADDED_P50_MS);
    s.target("added p99 <= " + TARGET_ADDED_P99_MS + " ms", String.format(Locale.ROOT, "%+.3f ms", addedP99),
        addedP99 <= TARGET_ADDED_P99_MS);
    int gatewayErrors = jsonGateway.errorCount() + streamGateway.errorCount() + toolGateway.errorCount()
        + closedGateway.errorCount();
    s.target("no errors through the gateway", gatewayErrors + " errors", gatewayErrors == 0);
    String errors = all.stream()
        .filter(r -> !r.errors().isEmpty())
        .map(r -> "  " + r.name() + ": " + describe(r.errors()))
        .collect(Collectors.joining("\n"));
    s.line("");
    s.line("errors by kind:%s", errors.isEmpty() ? " none" : "\n" + errors);
    return s.out.toString();
  }

  private void added(String label, ScenarioResult direct, ScenarioResult gateway) {
    line("%-24s %+10.3f %+10.3f %+18.0f   %.2f", label, gateway.latency().p50() - direct.latency().p50(),
        gateway.latency().p99() - direct.latency().p99(), gateway.cpuMicrosPerRequest() - direct.cpuMicrosPerRequest(),
        ratio(gateway, direct));
  }

  private void target(String what, String measured, boolean met) {
    line("  %-32s %12s   %s", what, measured, met ? "met" : "NOT MET");
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static double ratio(ScenarioResult gateway, ScenarioResult direct) {
    return gateway.throughput() / direct.throughput();
  }

  private static String f(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  private static String describe(Map<String, Integer> errors) {
    return errors.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "));
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static String environment() {
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining("/"));
    return String.format(Locale.ROOT, "JDK %s, %d cores, GC %s, max heap %d MiB; load generator, gateway and fake"
        + " upstream in one JVM", Runtime.version(), cores(), gcs, Runtime.getRuntime().maxMemory() >> 20);
  }
}
