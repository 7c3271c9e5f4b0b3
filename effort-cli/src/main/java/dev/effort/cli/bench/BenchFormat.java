package dev.effort.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Number formats and table cells shared by the bench renderers (text table, HTML). */
final class BenchFormat {

  /** Shown in a numeric cell when the figure does not exist (never a made-up number). */
  static final String NA = "-";

  static final String UNKNOWN_MARK = "*";

  static final List<String> HEADERS =
      List.of("row", "plan", "accuracy", "% max acc", "USD / 1k", "% max cost", "p50 ms", "p95 ms");

  /** Index of the first numeric column; unmeasured rows show their note from here on. */
  static final int FIRST_NUMERIC = 2;

  private BenchFormat() {}

  static String title(DatasetResult result) {
    return result.name() + " — " + result.prompts() + " prompts";
  }

  /** Graded, or at least answered: cost and latency known though nothing could be graded. */
  static boolean hasNumbers(BenchRow row) {
    return row.measured() || finite(row.costPer1kUsd());
  }

  static boolean finite(Double v) {
    return v != null && Double.isFinite(v);
  }

  static String accuracy(Double v) {
    return finite(v) ? String.format(Locale.ROOT, "%.3f", v) : NA;
  }

  /** Decimals for the USD column: two significant digits for the cheapest row, 2 to 5. */
  static int usdDecimals(DatasetResult result) {
    double min = Double.MAX_VALUE;
    for (BenchRow r : result.rows()) {
      Double c = r.costPer1kUsd();
      if (hasNumbers(r) && finite(c) && c > 0) {
        min = Math.min(min, c);
      }
    }
    if (min == Double.MAX_VALUE) {
      return 2;
    }
    int d = (int) Math.ceil(-Math.log10(min) - 1e-9) + 1;
    return Math.max(2, Math.min(5, d));
  }

  static String usd(Double v, int decimals) {
    return finite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : NA;
  }

  static String ms(Double v) {
    return finite(v) ? String.format(Locale.ROOT, "%.0f", v) : NA;
  }

  /** {@code value} as a percentage of {@code reference}, or null when either is missing or zero. */
  static Double pctOf(Double value, Double reference) {
    if (!finite(value) || !finite(reference) || reference == 0) {
      return null;
    }
    return 100.0 * value / reference;
  }

  static String pct(Double p) {
    return finite(p) ? String.format(Locale.ROOT, "%.1f%%", p) : NA;
  }

  /** The measured max-level row, the reference of the "% max" columns, or null. */
  static BenchRow reference(DatasetResult result) {
    return result.maxLevel().filter(BenchRow::measured).orElse(null);
  }

  static Double pctOfMaxAccuracy(BenchRow row, BenchRow ref) {
    return ref == null ? null : pctOf(row.accuracy(), ref.accuracy());
  }

  static Double pctOfMaxCost(BenchRow row, BenchRow ref) {
    return ref == null ? null : pctOf(row.costPer1kUsd(), ref.costPer1kUsd());
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String noteOf(BenchRow row) {
    String note = row.note();
    return note == null || note.isBlank() ? "not measured" : note;
  }

  static boolean anyUnknown(DatasetResult result) {
    return result.rows().stream().anyMatch(r -> r.measured() && r.unknown() > 0);
  }

  /** The cells of every row of {@code result}, in order. */
  static List<List<String>> cells(DatasetResult result) {
    BenchRow ref = reference(result);
    boolean markUnknown = anyUnknown(result);
    int decimals = usdDecimals(result);
    List<List<String>> rows = new ArrayList<>();
    for (BenchRow r : result.rows()) {
      rows.add(cells(r, ref, markUnknown, decimals));
    }
    return rows;
  }

  /**
   * The cells of one row. A row with numbers has one cell per header (an ungraded row shows its
   * cost and latency, its accuracy n/a); a row without any has the name, the plan and its note (to
   * be shown across the numeric columns).
   */
  static List<String> cells(BenchRow row, BenchRow ref, boolean markUnknown, int usdDecimals) {
    List<String> cells = new ArrayList<>();
    cells.add(nullToEmpty(row.name()));
    cells.add(nullToEmpty(row.plan()));
    if (!hasNumbers(row)) {
      cells.add(noteOf(row));
      return cells;
    }
    String acc = accuracy(row.accuracy());
    if (markUnknown) {
      acc += row.unknown() > 0 ? UNKNOWN_MARK : " ";
    }
    cells.add(acc);
    cells.add(pct(pctOfMaxAccuracy(row, ref)));
    cells.add(usd(row.costPer1kUsd(), usdDecimals));
    cells.add(pct(pctOfMaxCost(row, ref)));
    cells.add(ms(row.latencyP50Ms()));
    cells.add(ms(row.latencyP95Ms()));
    return cells;
  }

  /** Lines to print under a table: unknown grades, notes on measured rows, the % max reference. */
  static List<String> footnotes(DatasetResult result) {
    List<String> notes = new ArrayList<>();
    Map<String, List<String>> unknown = new LinkedHashMap<>();
    for (BenchRow r : result.rows()) {
      if (r.measured() && r.unknown() > 0) {
        unknown
            .computeIfAbsent(r.unknown() + " of " + (r.graded() + r.unknown()), k -> new ArrayList<>())
            .add(nullToEmpty(r.name()));
      }
    }
    if (!unknown.isEmpty()) {
      List<String> parts = new ArrayList<>();
      unknown.forEach((count, names) -> parts.add(count + " (" + String.join(", ", names) + ")"));
      notes.add(
          UNKNOWN_MARK
              + " prompts with unknown grade, not counted in accuracy: "
              + String.join("; ", parts));
    }
    for (BenchRow r : result.rows()) {
      if (hasNumbers(r) && r.note() != null && !r.note().isBlank()) {
        notes.add(nullToEmpty(r.name()) + ": " + r.note());
      }
    }
    Frontier f = result.frontier();
    if (f != null) {
      notes.add(String.format(java.util.Locale.ROOT,
          "frontier AUC (mean best accuracy over budgets from low's to max's cost, log-spaced): levels %.3f,"
              + " auto %.3f, random %.3f", f.levelsAuc(), f.autoAuc(), f.randomAuc()));
      notes.add(f.oracleSavingsCaptured() == null
          ? "share of the oracle's savings captured: n/a, " + f.note()
          : String.format(java.util.Locale.ROOT, "share of the oracle's savings captured: %.0f%% (%s)",
              100 * f.oracleSavingsCaptured(), f.note()));
    }
    if (reference(result) == null && !result.rows().isEmpty()) {
      notes.add("% max columns need a measured \"max\" level row; shown as " + NA);
    }
    return notes;
  }
}
