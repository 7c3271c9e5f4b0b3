package dev.effort.cli.bench;

import java.util.List;
import java.util.Optional;

/** The bench rows of one data set (one CSV file). */
public record DatasetResult(String name, int prompts, List<BenchRow> rows) {

  public DatasetResult {
    rows = List.copyOf(rows);
  }

  /** The row of level {@code max}, the reference for "% of max" columns. */
  public Optional<BenchRow> maxLevel() {
    return rows.stream().filter(r -> r.kind().equals("level") && r.name().equals("max")).findFirst();
  }
}
