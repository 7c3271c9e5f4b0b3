package dev.effort.cli.bench;

import java.util.List;
import java.util.Optional;

/**
 * The bench rows of one data set (one CSV file).
 *
 * @param frontier how auto compares with the levels, the random baseline and the oracle; null
 *     when auto was not measured
 */
public record DatasetResult(String name, int prompts, List<BenchRow> rows, Frontier frontier) {

  public DatasetResult {
    rows = List.copyOf(rows);
  }

  public DatasetResult(String name, int prompts, List<BenchRow> rows) {
    this(name, prompts, rows, null);
  }

  /** The row of level {@code max}, the reference for "% of max" columns. */
  public Optional<BenchRow> maxLevel() {
    return rows.stream().filter(r -> r.kind().equals("level") && r.name().equals("max")).findFirst();
  }
}
