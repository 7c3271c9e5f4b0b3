package dev.effort.server.store;

import dev.effort.core.Effort;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link Ledger} in the {@code ledger} table. Every statement is the same SQL on SQLite and PostgreSQL. */
final class SqlLedger implements Ledger, AutoCloseable {

  private static final String COLUMNS = "key_id, time_ms, api, asked_effort, applied_effort, plan, models, "
      + "input_tokens, output_tokens, thinking_tokens, cost_usd, ttft_ms, latency_ms, status, downgrade_reason, error";
  /** The first row's values; {@link #insert} adds the others' and {@code RETURNING id}. */
  private static final String INSERT = "INSERT INTO ledger (" + COLUMNS + ") "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final long DAY_MS = 86_400_000L;

  private final Jdbc jdbc;
  private final GroupCommit commits;

  SqlLedger(Jdbc jdbc, String where) {
    this.jdbc = jdbc;
    this.commits = new GroupCommit(jdbc, SqlLedger::insert, where);
  }

  @Override
  public long append(LedgerEntry e) {
    // Alone when the store is idle, else in one transaction with the rows waiting beside it: durable
    // when it returns (see Store for what WAL guarantees).
    return commits.append(e);
  }

  /** Commits the rows accepted so far; appends after it fail. */
  @Override
  public void close() {
    commits.close();
  }

  /**
   * One row in its own auto-committed statement on the caller's thread: how {@link #append} worked
   * before group commit. The baseline of the ledger benchmark (effort-benchmarks), nothing else.
   */
  long appendAlone(LedgerEntry e) {
    return jdbc.write(c -> insert(c, List.of(e)).getFirst());
  }

  /** Commits made so far, each of one or more rows. */
  long commitCount() {
    return commits.commits();
  }

  /** Rows taken in so far: queued for the writer, or being committed by their append. */
  long accepted() {
    return commits.accepted();
  }

  /**
   * Inserts {@code rows} on {@code c} in one statement (one round trip to PostgreSQL); returns their
   * ids in the order of {@code rows}.
   */
  private static List<Long> insert(Connection c, List<LedgerEntry> rows) throws SQLException {
    List<Long> ids = new ArrayList<>(rows.size());
    String sql = INSERT + ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)".repeat(rows.size() - 1) + " RETURNING id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 0;
      for (LedgerEntry e : rows) {
        Sql.setLong(ps, ++i, e.keyId());
        ps.setLong(++i, e.time().toEpochMilli());
        ps.setString(++i, e.api());
        Sql.setEffort(ps, ++i, e.askedEffort());
        Sql.setEffort(ps, ++i, e.appliedEffort());
        ps.setString(++i, e.plan());
        ps.setString(++i, e.models());
        ps.setLong(++i, e.inputTokens());
        ps.setLong(++i, e.outputTokens());
        ps.setLong(++i, e.thinkingTokens());
        ps.setDouble(++i, e.costUsd());
        Sql.setLong(ps, ++i, e.ttftMs());
        ps.setLong(++i, e.latencyMs());
        ps.setInt(++i, e.status());
        Sql.setText(ps, ++i, e.downgradeReason());
        Sql.setText(ps, ++i, e.error());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    if (ids.size() != rows.size()) {
      throw new SQLException("inserted " + rows.size() + " ledger rows but got " + ids.size() + " ids back");
    }
    // RETURNING gives no order, but both engines number the rows of one statement in VALUES order
    // (SQLite: the next rowid under the write lock; PostgreSQL: the identity's sequence, row by row).
    ids.sort(null);
    return ids;
  }

  @Override
  public Optional<LedgerEntry> get(long id) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, " + COLUMNS + " FROM ledger WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public double spentUsd(long keyId, Instant fromInclusive) {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(SUM(cost_usd), 0) FROM ledger WHERE key_id = ? AND time_ms >= ?")) {
        ps.setLong(1, keyId);
        ps.setLong(2, fromInclusive.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getDouble(1);
        }
      }
    });
  }

  @Override
  public int deleteBefore(Instant cutoff) {
    return jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM ledger WHERE time_ms < ?")) {
        ps.setLong(1, cutoff.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public long count() {
    return jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ledger"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public List<UsageRow> usage(GroupBy by) {
    // The median by window functions (both engines have them; neither SQLite build has median()):
    // number each group's latencies in order, keep the middle one or two, average them.
    String sql = "WITH g AS (SELECT " + groupExpression(by) + " AS grp, status, input_tokens, output_tokens, "
        + "thinking_tokens, cost_usd, latency_ms FROM ledger), "
        + "r AS (SELECT grp, latency_ms, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY latency_ms) AS rn, "
        + "COUNT(*) OVER (PARTITION BY grp) AS n FROM g), "
        + "m AS (SELECT grp, AVG(latency_ms) AS p50 FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp), "
        + "t AS (SELECT grp, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, "
        + "SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
        + "SUM(thinking_tokens) AS thinking_tokens, SUM(cost_usd) AS cost_usd FROM g GROUP BY grp) "
        + "SELECT t.grp, t.requests, t.errors, t.input_tokens, t.output_tokens, t.thinking_tokens, t.cost_usd, m.p50 "
        + "FROM t JOIN m ON m.grp = t.grp";
    return jdbc.read(c -> {
      Map<Long, String> keyNames = by == GroupBy.KEY ? keyNames(c) : Map.of();
      List<Grouped> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object grp = rs.getObject("grp");
          String label = label(by, grp, keyNames);
          rows.add(new Grouped(sortKey(by, grp, label), new UsageRow(label, rs.getLong("requests"),
              rs.getLong("errors"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
              rs.getLong("thinking_tokens"), rs.getDouble("cost_usd"), rs.getDouble("p50"))));
        }
      }
      rows.sort(Comparator.comparing(Grouped::sortKey));
      return rows.stream().map(Grouped::row).toList();
    });
  }

  @Override
  public List<GroupStats> stats(StatsBy by, Instant fromInclusive) {
    // Percentiles by window functions, as in usage(): number each group's values in order and
    // keep the middle one or two (median) and the nearest rank of 95% (ceil(0.95 n), in integers).
    String sql = "WITH g AS (SELECT " + by.expression + " AS grp, status, input_tokens, output_tokens, thinking_tokens, "
        + "cost_usd, latency_ms, ttft_ms, downgrade_reason FROM ledger WHERE time_ms >= ? AND " + by.condition + "), "
        + percentiles("l", "latency_ms", "status < 400") + ", "
        + percentiles("f", "ttft_ms", "ttft_ms IS NOT NULL") + ", "
        + "t AS (SELECT grp, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, "
        + "SUM(CASE WHEN downgrade_reason IS NOT NULL THEN 1 ELSE 0 END) AS downgrades, "
        + "SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
        + "SUM(thinking_tokens) AS thinking_tokens, SUM(cost_usd) AS cost_usd FROM g GROUP BY grp) "
        + "SELECT t.grp, t.requests, t.errors, t.downgrades, t.input_tokens, t.output_tokens, t.thinking_tokens, "
        + "t.cost_usd, l.p50 AS l50, l.p95 AS l95, f.p50 AS f50, f.p95 AS f95 "
        + "FROM t LEFT JOIN l ON l.grp = t.grp LEFT JOIN f ON f.grp = t.grp";
    return jdbc.read(c -> {
      List<GroupStats> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, fromInclusive.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Object grp = rs.getObject("grp");
            String label = grp == null || grp.toString().isEmpty() ? UsageRow.NONE : grp.toString();
            rows.add(new GroupStats(label, rs.getLong("requests"), rs.getLong("errors"), rs.getLong("downgrades"),
                rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("thinking_tokens"),
                rs.getDouble("cost_usd"), nullableDouble(rs, "l50"), nullableDouble(rs, "l95"), nullableDouble(rs, "f50"),
                nullableDouble(rs, "f95")));
          }
        }
      }
      rows.sort(Comparator.comparingLong(GroupStats::requests).reversed().thenComparing(GroupStats::group));
      return rows;
    });
  }

  /** A CTE named {@code name} with each group's median and 95th percentile of {@code column} over the rows {@code where}. */
  private static String percentiles(String name, String column, String where) {
    return name + "r AS (SELECT grp, " + column + " AS v, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY " + column + ") AS rn, "
        + "COUNT(*) OVER (PARTITION BY grp) AS n FROM g WHERE " + where + "), "
        + name + " AS (SELECT grp, AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END) AS p50, "
        + "MAX(CASE WHEN rn = (95 * n + 99) / 100 THEN v END) AS p95 FROM " + name + "r GROUP BY grp)";
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  @Override
  public List<LedgerEntry> recent(LedgerFilter filter, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, " + COLUMNS + " FROM ledger WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    filter.keyId().ifPresent(k -> {
      sql.append(" AND key_id = ?");
      args.add(k);
    });
    filter.level().ifPresent(l -> {
      sql.append(" AND applied_effort = ?");
      args.add(l.wireName());
    });
    filter.model().ifPresent(m -> {
      // models is a comma-separated list: match one whole entry, with LIKE's wildcards escaped.
      sql.append(" AND (',' || models || ',') LIKE ? ESCAPE '!'");
      args.add("%," + m.replace("!", "!!").replace("%", "!%").replace("_", "!_") + ",%");
    });
    filter.status().ifPresent(s -> {
      switch (s) {
        case "ok" -> sql.append(" AND status < 400");
        case "error" -> sql.append(" AND status >= 400");
        default -> {
          sql.append(" AND status = ?");
          args.add(Integer.parseInt(s));
        }
      }
    });
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    return jdbc.read(c -> {
      List<LedgerEntry> rows = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(entry(rs));
          }
        }
      }
      return rows;
    });
  }

  /** Never null: a null group would not join to its median. */
  private static String groupExpression(GroupBy by) {
    return switch (by) {
      case KEY -> "COALESCE(key_id, 0)";
      case DAY -> "time_ms / " + DAY_MS; // integer division in both engines: days since 1970-01-01 UTC
      case EFFORT -> "COALESCE(applied_effort, '')";
      case MODEL -> "models";
    };
  }

  private record Grouped(String sortKey, UsageRow row) {}

  private static String label(GroupBy by, Object grp, Map<Long, String> keyNames) {
    return switch (by) {
      case KEY -> {
        long id = ((Number) grp).longValue();
        yield id == 0 ? UsageRow.NONE : keyNames.getOrDefault(id, "#" + id);
      }
      case DAY -> LocalDate.ofEpochDay(((Number) grp).longValue()).toString();
      case EFFORT, MODEL -> grp.toString().isEmpty() ? UsageRow.NONE : grp.toString();
    };
  }

  /** Rows without a key, level or model last; days and levels in rising order. */
  private static String sortKey(GroupBy by, Object grp, String label) {
    return switch (by) {
      case KEY -> ((Number) grp).longValue() == 0 ? "\uffff" : label;
      case DAY -> String.format(Locale.ROOT, "%020d", ((Number) grp).longValue());
      case EFFORT -> grp.toString().isEmpty() ? "\uffff" : Integer.toString(Effort.parse(grp.toString()).ordinal());
      case MODEL -> grp.toString().isEmpty() ? "\uffff" : grp.toString();
    };
  }

  /** Key names for labels; a name shared by several keys (a revoked one reused) gets its id. */
  private static Map<Long, String> keyNames(Connection c) throws SQLException {
    Map<Long, String> names = new HashMap<>();
    Map<String, Integer> uses = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM api_keys"); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.put(rs.getLong(1), rs.getString(2));
        uses.merge(rs.getString(2), 1, Integer::sum);
      }
    }
    names.replaceAll((id, name) -> uses.get(name) > 1 ? name + "#" + id : name);
    return names;
  }

  private static LedgerEntry entry(ResultSet rs) throws SQLException {
    return new LedgerEntry(
        rs.getLong("id"),
        Sql.nullableLong(rs, "key_id"),
        Instant.ofEpochMilli(rs.getLong("time_ms")),
        rs.getString("api"),
        Sql.effort(rs, "asked_effort"),
        Sql.effort(rs, "applied_effort"),
        rs.getString("plan"),
        rs.getString("models"),
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        rs.getLong("thinking_tokens"),
        rs.getDouble("cost_usd"),
        Sql.nullableLong(rs, "ttft_ms"),
        rs.getLong("latency_ms"),
        rs.getInt("status"),
        rs.getString("downgrade_reason"),
        rs.getString("error"));
  }
}
