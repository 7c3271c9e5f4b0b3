package dev.effort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Effort;
import dev.effort.core.Json;
import dev.effort.core.resilience.Deployments;
import dev.effort.server.limits.BudgetPeriod;
import dev.effort.server.store.ApiKey;
import dev.effort.server.store.GroupStats;
import dev.effort.server.store.Ledger;
import dev.effort.server.store.LedgerEntry;
import dev.effort.server.store.LedgerFilter;
import dev.effort.server.store.StatsBy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JSON of {@code /admin/stats} and {@code /admin/ledger}, which the dashboard ({@code /ui})
 * polls: the ledger's figures per level, model, auto plan and key for a window, with what only
 * memory holds (refusals before a plan ran, auto's forecast saving) and the upstreams' circuits.
 */
final class AdminStats {
  static final int MAX_LEDGER_ROWS = 500;

  private final Governance governance;
  private final Deployments deployments;
  private final MinuteTotals autoSavings;
  private final Optional<Path> benchJson;
  private final Clock clock;

  AdminStats(Governance governance, Deployments deployments, MinuteTotals autoSavings, Optional<Path> benchJson, Clock clock) {
    this.governance = governance;
    this.deployments = deployments;
    this.autoSavings = autoSavings;
    this.benchJson = benchJson;
    this.clock = clock;
  }

  ObjectNode stats(StatsWindow window) {
    Instant now = clock.instant();
    Instant from = now.minus(window.length);
    Ledger ledger = governance.store().ledger();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("window", window.wireName);
    o.put("from", from.toString());
    o.put("now", now.toString());
    List<GroupStats> levels = ledger.stats(StatsBy.LEVEL, from);
    o.set("totals", totals(levels));
    o.set("levels", groups(levels, "level"));
    o.set("models", groups(ledger.stats(StatsBy.MODEL, from), "models"));
    ArrayNode downgrades = o.putArray("downgrades");
    ledger.stats(StatsBy.DOWNGRADE_REASON, from).forEach(g -> downgrades.addObject()
        .put("reason", g.group()).put("requests", g.requests()));
    o.set("auto", auto(ledger.stats(StatsBy.AUTO_PLAN, from), from));
    o.set("keys", keys(ledger.stats(StatsBy.KEY, from), from, now));
    o.set("upstreams", upstreams());
    o.set("bench", bench());
    return o;
  }

  private static ObjectNode totals(List<GroupStats> groups) {
    ObjectNode t = Json.MAPPER.createObjectNode();
    t.put("requests", groups.stream().mapToLong(GroupStats::requests).sum());
    t.put("errors", groups.stream().mapToLong(GroupStats::errors).sum());
    t.put("downgrades", groups.stream().mapToLong(GroupStats::downgrades).sum());
    t.put("input_tokens", groups.stream().mapToLong(GroupStats::inputTokens).sum());
    t.put("output_tokens", groups.stream().mapToLong(GroupStats::outputTokens).sum());
    t.put("thinking_tokens", groups.stream().mapToLong(GroupStats::thinkingTokens).sum());
    t.put("cost_usd", groups.stream().mapToDouble(GroupStats::costUsd).sum());
    return t;
  }

  /** Levels in dial order (rows without a level last); models by requests. */
  private static ArrayNode groups(List<GroupStats> groups, String label) {
    List<GroupStats> ordered = !label.equals("level") ? groups : groups.stream()
        .sorted(java.util.Comparator.comparingInt(g -> g.group().equals(dev.effort.server.store.UsageRow.NONE)
            ? Integer.MAX_VALUE : Effort.parse(g.group()).ordinal()))
        .toList();
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (GroupStats g : ordered) {
      ObjectNode row = a.addObject();
      row.put(label, g.group());
      row.put("requests", g.requests());
      row.put("errors", g.errors());
      row.put("downgrades", g.downgrades());
      row.put("input_tokens", g.inputTokens());
      row.put("output_tokens", g.outputTokens());
      row.put("thinking_tokens", g.thinkingTokens());
      row.put("cost_usd", g.costUsd());
      putNullable(row, "latency_p50_ms", g.p50LatencyMs());
      putNullable(row, "latency_p95_ms", g.p95LatencyMs());
      putNullable(row, "ttft_p50_ms", g.p50TtftMs());
      putNullable(row, "ttft_p95_ms", g.p95TtftMs());
    }
    return a;
  }

  private static void putNullable(ObjectNode o, String field, Double value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  /** Where auto sent its requests, and what its answers cost against max's forecast for the same asks (this node). */
  private ObjectNode auto(List<GroupStats> plans, Instant from) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    long requests = plans.stream().mapToLong(GroupStats::requests).sum();
    o.put("requests", requests);
    ArrayNode a = o.putArray("plans");
    for (GroupStats p : plans) {
      a.addObject().put("plan", p.group()).put("requests", p.requests())
          .put("share", requests == 0 ? 0 : (double) p.requests() / requests).put("cost_usd", p.costUsd());
    }
    MinuteTotals.Totals answered = autoSavings.since(AutoSavingsLink.NAME, from);
    double cost = answered.sums()[0];
    double maxForecast = answered.sums()[1];
    o.put("answered", answered.count());
    o.put("cost_usd", cost);
    o.put("max_forecast_usd", maxForecast);
    o.put("saved_usd", maxForecast - cost);
    if (maxForecast > 0) {
      o.put("saved_share", (maxForecast - cost) / maxForecast);
    } else {
      o.putNull("saved_share");
    }
    return o;
  }

  private ArrayNode keys(List<GroupStats> byKey, Instant from, Instant now) {
    Map<String, GroupStats> used = byKey.stream().collect(Collectors.toMap(GroupStats::group, Function.identity()));
    Ledger ledger = governance.store().ledger();
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (ApiKey k : governance.store().keys().list()) {
      ObjectNode o = a.addObject();
      o.put("id", k.id());
      o.put("name", k.name());
      o.put("prefix", k.prefix());
      k.revoked().ifPresentOrElse(r -> o.put("revoked", r.toString()), () -> o.putNull("revoked"));
      GroupStats g = used.get(Long.toString(k.id()));
      o.put("requests", g == null ? 0 : g.requests());
      o.put("errors", g == null ? 0 : g.errors());
      o.put("cost_usd", g == null ? 0 : g.costUsd());
      o.put("spent_today_usd", ledger.spentUsd(k.id(), BudgetPeriod.DAY.start(now)));
      o.put("spent_month_usd", ledger.spentUsd(k.id(), BudgetPeriod.MONTH.start(now)));
      putNullable(o, "budget_usd_day", k.budgetUsdDay().isPresent() ? k.budgetUsdDay().getAsDouble() : null);
      putNullable(o, "budget_usd_month", k.budgetUsdMonth().isPresent() ? k.budgetUsdMonth().getAsDouble() : null);
      boolean budgeted = k.budgetUsdDay().isPresent() || k.budgetUsdMonth().isPresent();
      putNullable(o, "remaining_usd", budgeted ? governance.leftUsd(k, now) : null);
      o.put("rate_limit_hits", governance.refusals(k, Governance.Refusal.RATE_LIMIT, from));
      o.put("tempo_hits", governance.refusals(k, Governance.Refusal.TEMPO, from));
      o.put("budget_hits", governance.refusals(k, Governance.Refusal.BUDGET, from));
    }
    return a;
  }

  private ArrayNode upstreams() {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Deployments.Health h : deployments.health()) {
      a.addObject().put("model", h.model()).put("deployment", h.deployment()).put("circuit", h.state().wireName())
          .put("times_opened", h.timesOpened()).put("calls", h.calls()).put("failures", h.failures())
          .put("latency_ms", h.latency().toMillis());
    }
    return a;
  }

  /** What the page draws of each bench row; the rest of the file (plans, notes) stays in the file, out of every poll. */
  private static final List<String> BENCH_ROW_FIELDS = List.of("name", "kind", "target", "accuracy", "cost_per_1k_usd",
      "latency_p50_ms", "pct_of_max_accuracy", "pct_of_max_cost");

  /** The configured {@code effort bench --json} file as it is now; null when none is configured. */
  private JsonNode bench() {
    if (benchJson.isEmpty()) {
      return Json.MAPPER.nullNode();
    }
    Path file = benchJson.get();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("file", file.toString());
    try {
      JsonNode report = Json.MAPPER.readTree(Files.readAllBytes(file));
      o.put("modified", Files.getLastModifiedTime(file).toInstant().toString());
      ArrayNode datasets = o.putArray("datasets");
      for (JsonNode d : report.path("datasets")) {
        ObjectNode shown = datasets.addObject();
        shown.put("name", d.path("name").asText());
        shown.set("prompts", d.path("prompts"));
        ArrayNode rows = shown.putArray("rows");
        for (JsonNode r : d.path("rows")) {
          ObjectNode row = rows.addObject();
          BENCH_ROW_FIELDS.forEach(f -> row.set(f, r.path(f).isMissingNode() ? Json.MAPPER.nullNode() : r.get(f)));
        }
        shown.set("frontier", d.path("frontier"));
      }
    } catch (IOException | RuntimeException e) {
      o.put("error", "cannot read the bench JSON: " + e.getMessage());
    }
    return o;
  }

  /** The newest ledger rows matching the filter, newest first. */
  ObjectNode ledger(LedgerFilter filter, int limit) {
    Map<Long, String> names = governance.store().keys().list().stream()
        .collect(Collectors.toMap(ApiKey::id, ApiKey::name));
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (LedgerEntry e : governance.store().ledger().recent(filter, Math.min(limit, MAX_LEDGER_ROWS))) {
      ObjectNode r = rows.addObject();
      r.put("id", e.id());
      r.put("time", e.time().toString());
      if (e.keyId() == null) {
        r.putNull("key");
      } else {
        r.put("key", names.getOrDefault(e.keyId(), "#" + e.keyId()));
      }
      r.put("api", e.api());
      r.put("asked", e.askedEffort() == null ? null : e.askedEffort().wireName());
      r.put("applied", e.appliedEffort() == null ? null : e.appliedEffort().wireName());
      r.put("plan", e.plan());
      r.put("models", e.models());
      r.put("input_tokens", e.inputTokens());
      r.put("output_tokens", e.outputTokens());
      r.put("thinking_tokens", e.thinkingTokens());
      r.put("cost_usd", e.costUsd());
      if (e.ttftMs() == null) {
        r.putNull("ttft_ms");
      } else {
        r.put("ttft_ms", e.ttftMs());
      }
      r.put("latency_ms", e.latencyMs());
      r.put("status", e.status());
      r.put("downgrade_reason", e.downgradeReason());
      r.put("error", e.error());
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.set("rows", rows);
    return o;
  }

  /** A key named by id or name (a live key before a revoked one of the same name). */
  Optional<Long> keyId(String idOrName) {
    List<ApiKey> keys = governance.store().keys().list();
    return keys.stream().filter(k -> Long.toString(k.id()).equals(idOrName)).findFirst()
        .or(() -> keys.stream().filter(k -> k.name().equals(idOrName))
            .min(java.util.Comparator.comparing(k -> k.revoked().isPresent())))
        .map(ApiKey::id);
  }
}
