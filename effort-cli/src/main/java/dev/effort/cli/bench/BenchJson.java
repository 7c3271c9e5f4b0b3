package dev.effort.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.effort.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link BenchReport} as pretty-printed JSON. */
public final class BenchJson {

  private BenchJson() {}

  /**
   * Writes {@code report} to {@code file} (parent folders are created). Figures that were not
   * measured are written as JSON null.
   */
  public static void write(BenchReport report, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Json.MAPPER.writeValue(file.toFile(), toTree(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bench JSON to " + file, e);
    }
  }

  static ObjectNode toTree(BenchReport report) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("data_dir", report.dataDir());
    root.put("ladder", report.ladder());
    root.put("method", report.method());
    ArrayNode datasets = root.putArray("datasets");
    for (DatasetResult d : report.datasets()) {
      ObjectNode ds = datasets.addObject();
      ds.put("name", d.name());
      ds.put("prompts", d.prompts());
      BenchRow ref = BenchFormat.reference(d);
      ArrayNode rows = ds.putArray("rows");
      for (BenchRow r : d.rows()) {
        ObjectNode row = rows.addObject();
        row.put("name", r.name());
        row.put("kind", r.kind());
        row.put("plan", r.plan());
        number(row, "accuracy", r.accuracy());
        row.put("graded", r.graded());
        row.put("unknown", r.unknown());
        number(row, "cost_per_1k_usd", r.costPer1kUsd());
        number(row, "latency_p50_ms", r.latencyP50Ms());
        number(row, "latency_p95_ms", r.latencyP95Ms());
        number(row, "pct_of_max_accuracy", round2(BenchFormat.pctOfMaxAccuracy(r, ref)));
        number(row, "pct_of_max_cost", round2(BenchFormat.pctOfMaxCost(r, ref)));
        row.put("note", r.note());
        if (r.target() != null) {
          number(row, "target", r.target());
        }
      }
      Frontier f = d.frontier();
      if (f != null) {
        ObjectNode fr = ds.putObject("frontier");
        number(fr, "levels_auc", f.levelsAuc());
        number(fr, "auto_auc", f.autoAuc());
        number(fr, "random_auc", f.randomAuc());
        number(fr, "oracle_savings_captured", f.oracleSavingsCaptured());
        fr.put("note", f.note());
      }
    }
    return root;
  }

  /** Null and non-finite values become JSON null; whole numbers are written without ".0". */
  private static void number(ObjectNode node, String field, Double v) {
    if (!BenchFormat.finite(v)) {
      node.putNull(field);
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      node.put(field, (long) v.doubleValue());
    } else {
      node.put(field, v);
    }
  }

  private static Double round2(Double v) {
    return BenchFormat.finite(v) ? Math.round(v * 100.0) / 100.0 : null;
  }
}
