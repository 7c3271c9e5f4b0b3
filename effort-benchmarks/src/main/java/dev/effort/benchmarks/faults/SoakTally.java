package dev.effort.benchmarks.faults;

import dev.effort.benchmarks.load.ScenarioResult.Percentiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What the soak's clients received, by outcome class and by kind of request; thread-safe. */
final class SoakTally {

  /** The classes the summary reports, in its order; anything else is {@link #OTHER} with a detail. */
  static final String OK = "2xx";
  static final String BAD_REQUEST = "400";
  static final String AUTH = "401/403";
  static final String RATE_LIMITED = "429";
  static final String DISCONNECT = "499/disconnect";
  static final String BAD_GATEWAY = "502";
  static final String GATEWAY_TIMEOUT = "504";
  static final String OTHER = "other";
  static final List<String> CLASSES =
      List.of(OK, BAD_REQUEST, AUTH, RATE_LIMITED, DISCONNECT, BAD_GATEWAY, GATEWAY_TIMEOUT, OTHER);

  /**
   * One request's outcome.
   *
   * @param status the HTTP status received, or 0 when none was (connection error, timeout)
   * @param detail for {@link #OTHER}: what happened (e.g. {@code 200, stream broke off})
   */
  record Outcome(String cls, int status, String detail) {
    static Outcome ofStatus(int status) {
      String cls = switch (status) {
        case 400 -> BAD_REQUEST;
        case 401, 403 -> AUTH;
        case 429 -> RATE_LIMITED;
        case 499 -> DISCONNECT;
        case 502 -> BAD_GATEWAY;
        case 504 -> GATEWAY_TIMEOUT;
        default -> status / 100 == 2 ? OK : OTHER;
      };
      return new Outcome(cls, status, cls.equals(OTHER) ? "HTTP " + status : "");
    }

    static Outcome other(int status, String detail) {
      return new Outcome(OTHER, status, detail);
    }
  }

  private final Map<String, Long> byClass = new LinkedHashMap<>();
  private final Map<String, Long> otherDetails = new TreeMap<>();
  private final Map<SoakRequests.Kind, Map<String, Long>> byKind = new EnumMap<>(SoakRequests.Kind.class);
  private final Map<SoakRequests.Kind, Map<String, Long>> detailsByKind = new EnumMap<>(SoakRequests.Kind.class);
  private final Map<String, Long> answersByApi = new TreeMap<>();
  private final Map<SoakRequests.Kind, List<Long>> okNanosByKind = new EnumMap<>(SoakRequests.Kind.class);
  private long http500;
  private long sent;
  private long done;
  private long[] okNanos = new long[1024];
  private int okCount;

  SoakTally() {
    CLASSES.forEach(c -> byClass.put(c, 0L));
  }

  synchronized void sent() {
    sent++;
  }

  synchronized void add(SoakRequests.Planned p, Outcome o, long latencyNanos) {
    done++;
    byClass.merge(o.cls(), 1L, Long::sum);
    byKind.computeIfAbsent(p.kind(), k -> new TreeMap<>()).merge(o.cls(), 1L, Long::sum);
    if (!p.detail().isEmpty() || o.cls().equals(OTHER)) {
      String what = (p.detail().isEmpty() ? "" : p.detail() + " -> ") + (o.cls().equals(OTHER) ? o.detail() : o.cls());
      detailsByKind.computeIfAbsent(p.kind(), k -> new TreeMap<>()).merge(what, 1L, Long::sum);
    }
    if (o.cls().equals(OTHER)) {
      otherDetails.merge(o.detail(), 1L, Long::sum);
    }
    if (o.status() == 500) {
      http500++;
    }
    if (o.cls().equals(OK)) {
      answersByApi.merge(p.api(), 1L, Long::sum);
      if (okCount == okNanos.length) {
        okNanos = Arrays.copyOf(okNanos, okCount * 2);
      }
      okNanos[okCount++] = latencyNanos;
      okNanosByKind.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(latencyNanos);
    }
  }

  synchronized long sentCount() {
    return sent;
  }

  synchronized long http500() {
    return http500;
  }

  /** Complete 2xx answers the clients received, by API ({@code openai}, {@code anthropic}). */
  synchronized Map<String, Long> answersByApi() {
    return new TreeMap<>(answersByApi);
  }

  synchronized Percentiles okLatency() {
    return Percentiles.of(okNanos, okCount);
  }

  /** One progress line: counts so far by class. */
  synchronized String progress() {
    return String.format(Locale.ROOT, "sent %d, done %d, in flight %d: %s; HTTP 500: %d", sent, done, sent - done,
        byClass.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")), http500);
  }

  /** The outcome lines of the summary: by class, the others in detail, then by kind of request. */
  synchronized void describe(StringBuilder out) {
    line(out, "requests sent %d, answered or ended %d", sent, done);
    line(out, "");
    line(out, "outcomes by class:");
    byClass.forEach((cls, n) -> line(out, "  %-16s %7d", cls, n));
    otherDetails.forEach((what, n) -> line(out, "    %-40s %7d", what, n));
    line(out, "");
    line(out, "by kind of request (kind: class counts; then what each fault or input led to):");
    for (SoakRequests.Kind k : SoakRequests.Kind.values()) {
      Map<String, Long> classes = byKind.getOrDefault(k, Map.of());
      List<Long> ok = okNanosByKind.getOrDefault(k, List.of());
      Percentiles latency = Percentiles.of(ok.stream().mapToLong(Long::longValue).toArray(), ok.size());
      line(out, "  %-12s %s%s", k.name().toLowerCase(Locale.ROOT),
          classes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
          ok.isEmpty() ? "" : String.format(Locale.ROOT, " (2xx p50 %.0f ms, p99 %.0f ms)", latency.p50(), latency.p99()));
      detailsByKind.getOrDefault(k, Map.of()).forEach((what, n) -> line(out, "      %-56s %6d", what, n));
    }
  }

  static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
