package dev.effort.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The end-of-run report: one table of every scenario, the gateways' memory, the targets, the profile. */
final class Summary {
  private final StringBuilder out = new StringBuilder();

  static String of(LoadOptions options, String jit, List<Targets.Run> runs, Map<String, ProcessMemory> memory,
      Optional<ManyStreams.Outcome> streams, List<String> profile) {
    Summary s = new Summary();
    s.line("Effort gateway load test: JDK %s, %d cores; load generator and fake upstream in one JVM, each gateway"
        + " (effort serve, governance on: one key with a daily budget and a rate limit) in its own", Runtime.version(),
        cores());
    s.line("open loop at %d requests/s, %d s warmup + %d s measured; closed loop %d clients, %d s + %d s; latency in ms"
        + " from the SCHEDULED start to the last byte; added = gateway minus direct in this run", options.rate(),
        options.warmup().toSeconds(), options.measured().toSeconds(), options.clients(),
        options.closedWarmup().toSeconds(), options.closedMeasured().toSeconds());
    s.line("%s", jit);
    s.line("");
    s.line("%-22s %7s %6s %8s %8s %8s %8s %8s %8s %6s %9s %8s %8s %7s", "scenario", "requests", "errors", "req/s",
        "p50", "p99", "max", "+p50", "+p99", "ratio", "TTFT p99", "lag p99", "gw us/r", "others");
    for (Targets.Run run : runs) {
      ScenarioResult r = run.result();
      Optional<ScenarioResult> direct = run.target().equals(Target.DIRECT) ? Optional.empty()
          : Targets.find(runs, Target.DIRECT, run.kind().replace("+jfr", ""));
      boolean closed = run.kind().equals("closed");
      s.line("%-22s %7d %6d %8.1f %8.3f %8.3f %8.3f %8s %8s %6s %9s %8s %8s %6.0f%%", run.target() + " " + run.kind(),
          r.requests(), r.errorCount(), r.throughput(), r.latency().p50(), r.latency().p99(), r.latency().max(),
          direct.map(d -> signed(r.latency().p50() - d.latency().p50())).orElse("-"),
          direct.map(d -> signed(r.latency().p99() - d.latency().p99())).orElse("-"),
          closed ? direct.map(d -> f("%.2f", r.throughput() / d.throughput())).orElse("-") : "-",
          run.kind().equals("stream") || run.kind().equals("tool") ? f("%.3f", r.ttft().p99()) : "-",
          closed ? "-" : f("%.3f", r.sendLag().p99()),
          Double.isNaN(run.gatewayCpuMicros()) ? "-" : f("%.0f", run.gatewayCpuMicros()), 100 * r.othersCpu());
    }
    s.line("(ratio: closed-loop throughput gateway/direct; gw us/r: CPU time of the gateway process per answered request;"
        + " lag: how late the generator sent; others: share of the machine's CPU that processes other than the"
        + " generator, upstream and gateway used meanwhile,"
        + " above a few %% the latencies measure the neighbours too)");
    s.line("");
    memory.forEach((setup, m) -> s.line("gateway %-15s after its load: heap used %s MiB, live after full GC %s MiB;"
        + " RSS %s MiB (peak %s MiB); default max heap", setup, mib(m.heapUsed()), mib(m.heapLive()), mib(m.rss()),
        mib(m.peakRss())));
    streams.ifPresent(o -> {
      ScenarioResult r = o.result();
      s.line("%d streams at once (each %d s, one delta every 250 ms; gateway -Xmx%s, sqlite): %d requests, %d errors,"
          + " %d open at once upstream; open to [DONE] p50 %.0f ms, p99 %.0f ms, TTFT p99 %.1f ms",
          options.streams(), options.streamLength().toSeconds(), options.streamHeap(), r.requests(), r.errorCount(),
          o.openAtOnce(), r.latency().p50(), r.latency().p99(), r.ttft().p99());
      s.line("  gateway while they were open: heap used %s MiB, live after full GC %s MiB; RSS %s MiB (peak %s MiB);"
          + " its cap on client connections %d ((open-file limit - 256) / 2), per client address 1,024"
          + " (max_connections_per_client)", mib(o.memory().heapUsed()), mib(o.memory().heapLive()),
          mib(o.memory().rss()), mib(o.memory().peakRss()), o.connectionCap());
    });
    s.line("");
    s.line("targets (issue 13; %d requests/s on 2 cores)%s:", Targets.RATE,
        options.rate() == Targets.RATE && cores() == 2 ? ""
            : f(" [this run: %d requests/s, %d cores]", options.rate(), cores()));
    for (Targets.Check c : Targets.check(runs, streams)) {
      s.line("  %-48s %22s   %s", c.what(), c.measured(), c.verdict().name().replace('_', ' '));
    }
    String errors = runs.stream()
        .filter(r -> !r.result().errors().isEmpty())
        .map(r -> "  " + r.target() + " " + r.kind() + ": " + describe(r.result().errors()))
        .collect(Collectors.joining("\n"));
    if (streams.isPresent() && !streams.get().result().errors().isEmpty()) {
      errors += (errors.isEmpty() ? "" : "\n") + "  streams: " + describe(streams.get().result().errors());
    }
    s.line("");
    s.line("errors by kind:%s", errors.isEmpty() ? " none" : "\n" + errors);
    if (!profile.isEmpty()) {
      s.line("");
      s.line("where the sqlite gateway's time goes during a json open loop of its own (row json+jfr; JFR settings=profile,"
          + " method-profiling=max):");
      profile.forEach(l -> s.line("%s", l));
    }
    return s.out.toString();
  }

  private void line(String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String signed(double ms) {
    return f("%+.3f", ms);
  }

  private static String mib(double value) {
    return Double.isNaN(value) ? "?" : f("%.0f", value);
  }

  private static String describe(Map<String, Integer> errors) {
    return errors.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining(", "));
  }

  private static int cores() {
    return ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors();
  }
}
